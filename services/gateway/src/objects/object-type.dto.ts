import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ColumnView, MediaTypeView, MediaView } from '@bulkops/contracts';

/** OpenAPI shape of a column (mirrors ColumnView). */
export class ColumnDto implements ColumnView {
  @ApiProperty({ example: 'Name' }) name!: string;
  @ApiProperty() required!: boolean;
  @ApiPropertyOptional({ example: 'Type is CAPACITY' }) requiredWhen?: string;
  @ApiPropertyOptional({ example: 'Type is AGENT' }) onlyWhen?: string;
  @ApiProperty() description!: string;
  @ApiProperty({
    example: 'string',
    description: 'string, integer, boolean, enum, timezone, email, list or reference',
  })
  type!: string;
  @ApiPropertyOptional() maxLength?: number;
  @ApiPropertyOptional({ type: [String] }) values?: string[];
  @ApiPropertyOptional({ example: 'site', description: 'The object type a reference column names' })
  references?: string;
  @ApiPropertyOptional() format?: string;
  @ApiPropertyOptional() default?: string;
  @ApiPropertyOptional() immutable?: boolean;
  @ApiPropertyOptional({ type: [String] }) aliases?: string[];
}

/** OpenAPI shape of a media type's zip layout (mirrors MediaView). */
export class MediaViewDto implements MediaView {
  @ApiProperty({
    example: 'audio-files.csv',
    description: 'The optional manifest CSV at the top level of an upload zip',
  })
  manifest!: string;
  @ApiProperty({
    example: '.wav',
    description: 'Extension of the media files; each top-level such entry is one object',
  })
  extension!: string;
  @ApiProperty({ example: 'Name', description: "The column a media file's name fills" })
  nameColumn!: string;
}

/** OpenAPI shape of an object type (mirrors ObjectTypeView, whose `file` tells its two kinds apart). */
export class ObjectTypeDto implements Omit<MediaTypeView, 'file' | 'media'> {
  @ApiProperty({ example: 'site' }) type!: string;
  @ApiProperty({ example: 'Site' }) label!: string;
  @ApiProperty({ enum: ['csv', 'zip'] }) file!: 'csv' | 'zip';
  @ApiPropertyOptional({
    type: MediaViewDto,
    description: "Only for file 'zip': how an upload zip of the type is laid out",
  })
  media?: MediaViewDto;
  @ApiProperty({ type: [String], example: ['Name'] }) key!: string[];
  @ApiProperty({ type: [ColumnDto] }) columns!: ColumnDto[];
  @ApiProperty({ type: [String] }) dependsOn!: string[];
}
