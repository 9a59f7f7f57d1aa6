import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@bulkops/database';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { CurrentPrincipal } from '../auth/principal';
import { ErrorBodyDto } from '../errors/error-body.dto';
import { EXPORT_ROWS_PER_FILE } from '../objects/csv-export.service';
import { sendDownload } from '../objects/download';
import { OpenExports } from '../objects/open-exports';
import { OrgExportService } from './org-export.service';

/**
 * The organization's whole configuration as one bundle (spec/api.md "Bundles, org export"). Any
 * valid token may read it, as it may read each type's export.
 */
@ApiTags('objects')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/export')
export class ExportController {
  constructor(
    private readonly orgExport: OrgExportService,
    private readonly openExports: OpenExports,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The organization's whole configuration as one bundle zip that imports back unchanged",
    description: `Every object type in the dependency order of GET /v1/objects, each exactly as its own export writes it: a CSV type as {type}.csv, or {type}-001.csv, {type}-002.csv, … of at most ${EXPORT_ROWS_PER_FILE} records each; a media type (audio-file) as the folder {type}/ holding its files and manifest. Types without records are included as a header-only CSV (a manifest-only folder), which re-uploads as a no-op. Read from one snapshot, so every reference names a record of the bundle. Entries carry a fixed time, so organizations configured alike export identical bytes. Streamed as bulkops-export.zip.`,
  })
  @ApiProduces('application/zip')
  @ApiOkResponse({
    description: 'The bundle, as an attachment',
    content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiUnprocessableEntityResponse({
    type: ErrorBodyDto,
    description: `TOO_MANY_FILES: more than ${EXPORT_ROWS_PER_FILE} objects of a media type, more than one bundle folder may hold`,
  })
  @ApiServiceUnavailableResponse({
    type: ErrorBodyDto,
    description: 'SERVICE_UNAVAILABLE: this gateway streams as many exports as it may; retry later',
  })
  async export(@CurrentPrincipal() principal: Principal, @Res() response: Response): Promise<void> {
    await this.openExports.track('bundle', async () =>
      sendDownload(await this.orgExport.open(principal.orgId), response),
    );
  }
}
