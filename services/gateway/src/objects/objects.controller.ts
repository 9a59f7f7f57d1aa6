import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ObjectTypeView } from '@bulkops/contracts';
import { csvText } from '@bulkops/csv';
import { describeObject, getObject, OBJECT_TYPES } from '@bulkops/objects';
import { BearerAuthGuard } from '../auth/bearer-auth.guard';
import { MediaExportService } from './media-export.service';
import { ObjectTypeDto } from './object-type.dto';

/** The object types and their blank templates (spec/api.md "Configuration objects"). */
@ApiTags('objects')
@ApiBearerAuth()
@UseGuards(BearerAuthGuard)
@Controller('v1/objects')
export class ObjectsController {
  private readonly views = OBJECT_TYPES.map(describeObject);

  constructor(private readonly mediaExport: MediaExportService) {}

  @Get()
  @ApiOperation({ summary: 'Every object type, in dependency order, with its columns' })
  @ApiOkResponse({ type: ObjectTypeDto, isArray: true })
  list(): ObjectTypeView[] {
    return this.views;
  }

  @Get(':type/template')
  @ApiOperation({ summary: 'A CSV holding only the header row, in canonical column order; for media types (audio-file) a zip holding only the manifest header' })
  @ApiProduces('text/csv', 'application/zip')
  async template(@Param('type') type: string, @Res() response: Response): Promise<void> {
    const declaration = getObject(type);
    if (declaration.media) {
      const template = this.mediaExport.template(declaration);
      response.setHeader('Content-Type', template.contentType);
      response.setHeader('Content-Disposition', `attachment; filename="${template.fileName}"`);
      await template.writeTo(response);
      return;
    }
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${declaration.type}-template.csv"`);
    response.send(csvText([declaration.header]));
  }
}
