import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { ObjectTypeView, Page, RecordView } from '@bulkops/contracts';
import { csvText } from '@bulkops/csv';
import type { Principal } from '@bulkops/database';
import { describeObject, getObject, OBJECT_TYPES } from '@bulkops/objects';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/principal';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { CsvExportService, EXPORT_ROWS_PER_FILE } from './csv-export.service';
import { sendDownload } from './download';
import { ListRecordsQuery } from './list-records.query';
import { ObjectRecordsService } from './object-records.service';
import { MediaExportService } from './media-export.service';
import { ObjectTypeDto } from './object-type.dto';
import { OpenExports } from './open-exports';
import { RecordPageDto } from './record-page.dto';

/**
 * The object types, their blank templates, and the organization's records of a type as an export
 * file or JSON pages (spec/api.md "Configuration objects"). Any valid token may read them.
 */
@ApiTags('objects')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/objects')
export class ObjectsController {
  private readonly views = OBJECT_TYPES.map(describeObject);
  constructor(
    private readonly csvExport: CsvExportService,
    private readonly mediaExport: MediaExportService,
    private readonly records: ObjectRecordsService,
    private readonly openExports: OpenExports,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every object type, in dependency order, with its columns' })
  @ApiOkResponse({ type: ObjectTypeDto, isArray: true })
  list(): ObjectTypeView[] {
    return this.views;
  }

  @Get(':type/template')
  @ApiOperation({
    summary:
      'A CSV holding only the header row, in canonical column order; for media types (audio-file) a zip holding only the manifest header',
  })
  @ApiProduces('text/csv', 'application/zip')
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'UNKNOWN_OBJECT_TYPE' })
  async template(@Param('type') type: string, @Res() response: Response): Promise<void> {
    const declaration = getObject(type);
    switch (declaration.file) {
      case 'csv':
        response.setHeader('Content-Type', 'text/csv; charset=utf-8');
        response.setHeader(
          'Content-Disposition',
          `attachment; filename="${declaration.type}-template.csv"`,
        );
        response.send(csvText([declaration.header]));
        return;
      case 'zip':
        return sendDownload(this.mediaExport.template(declaration), response);
    }
  }

  @Get(':type/export')
  @ApiOperation({
    summary:
      "Every record of the organization's objects of a type, as a file that imports back unchanged",
    description: `CSV types: sorted by key, canonical values, Action empty, UTF-8 with BOM, CRLF; cells starting with =, +, -, @, tab or CR get a leading '. Up to ${EXPORT_ROWS_PER_FILE} records: {type}.csv; more: {type}.zip holding {type}-001.csv, {type}-002.csv, … of at most ${EXPORT_ROWS_PER_FILE} records each. Media types (audio-file): {type}.zip of the files and their manifest (objects.md §17). Streamed.`,
  })
  @ApiProduces('text/csv', 'application/zip')
  @ApiOkResponse({
    description: 'The export, as an attachment',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/zip': { schema: { type: 'string', format: 'binary' } },
    },
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'UNKNOWN_OBJECT_TYPE' })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description: 'SERVICE_UNAVAILABLE: this gateway streams as many exports as it may; retry later',
  })
  async export(
    @CurrentPrincipal() principal: Principal,
    @Param('type') type: string,
    @Res() response: Response,
  ): Promise<void> {
    const declaration = getObject(type);
    await this.openExports.track(declaration.type, async () => {
      switch (declaration.file) {
        case 'csv':
          return sendDownload(await this.csvExport.open(principal.orgId, declaration), response);
        case 'zip':
          // Media types export their files with a manifest, not rows (objects.md §17).
          return sendDownload(this.mediaExport.export(principal.orgId, declaration), response);
      }
    });
  }

  @Get(':type/records')
  @ApiOperation({ summary: 'The records an export holds, as JSON pages in key order' })
  @ApiOkResponse({ type: RecordPageDto })
  @ApiBadRequestResponse({
    type: ErrorBodyDto,
    description: 'INVALID_REQUEST: bad limit or cursor',
  })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'UNKNOWN_OBJECT_TYPE' })
  async listRecords(
    @CurrentPrincipal() principal: Principal,
    @Param('type') type: string,
    @Query() query: ListRecordsQuery,
  ): Promise<Page<RecordView>> {
    return this.records.page(principal.orgId, getObject(type), query.limit, query.cursor);
  }
}
