import { ApiProperty } from '@nestjs/swagger';
import type { ChangeActionView, ChangeView, ChangedColumnView, Page } from '@bulkops/contracts';

class ChangedColumnDto implements ChangedColumnView {
  @ApiProperty({ example: 'Multimedia Profile' }) column!: string;
  @ApiProperty({ nullable: true, type: String, example: 'MMP Default' })
  oldValue!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'MMP Sales' })
  newValue!: string | null;
}

/** OpenAPI shape of one change (mirrors ChangeView). */
export class ChangeViewDto implements ChangeView {
  @ApiProperty({ example: 'team' }) object!: string;
  @ApiProperty({ example: 'Austin/Sales', description: 'The key as an export writes it' })
  key!: string;
  @ApiProperty({ enum: ['CREATE', 'UPDATE', 'DELETE'] }) action!: ChangeActionView;
  @ApiProperty({
    type: [ChangedColumnDto],
    description:
      'UPDATE: the columns whose canonical text changed (old and new). CREATE: every column with a value (newValue). DELETE: every column the object had a value in (oldValue). An UPDATE of a media object whose bytes alone changed lists no column.',
  })
  columns!: ChangedColumnDto[];
  @ApiProperty({ example: 'teams.csv' }) sourceFile!: string;
  @ApiProperty({ example: 2, description: 'Line of the file (header = 1)' }) sourceRow!: number;
}

/** A page of changes (mirrors Page<ChangeView>). */
export class ChangePageDto implements Page<ChangeView> {
  @ApiProperty({ type: [ChangeViewDto], description: 'In the order the rows were applied' })
  items!: ChangeViewDto[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
