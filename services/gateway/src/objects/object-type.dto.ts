import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ColumnView, ObjectTypeView } from '@bulkops/contracts';

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

/** OpenAPI shape of an object type (mirrors ObjectTypeView). */
export class ObjectTypeDto implements ObjectTypeView {
  @ApiProperty({ example: 'site' }) type!: string;
  @ApiProperty({ example: 'Site' }) label!: string;
  @ApiProperty({ enum: ['csv', 'zip'] }) file!: 'csv' | 'zip';
  @ApiProperty({ type: [String], example: ['Name'] }) key!: string[];
  @ApiProperty({ type: [ColumnDto] }) columns!: ColumnDto[];
  @ApiProperty({ type: [String] }) dependsOn!: string[];
}
