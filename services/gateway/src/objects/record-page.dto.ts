import { ApiProperty } from '@nestjs/swagger';
import type { Page, RecordView } from '@bulkops/contracts';

/** A page of records (mirrors Page<RecordView>). */
export class RecordPageDto implements Page<RecordView> {
  @ApiProperty({
    description:
      "The records in key order (case-insensitive). Each is an object keyed by the type's column names (GET /v1/objects) holding the canonical text an export writes in that column, or null when the field is empty.",
    type: 'array',
    items: { type: 'object', additionalProperties: { type: 'string', nullable: true } },
    example: [{ Name: 'Sales', Site: 'Austin', Type: 'AGENT', 'Multimedia Profile': null }],
  })
  items!: RecordView[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
