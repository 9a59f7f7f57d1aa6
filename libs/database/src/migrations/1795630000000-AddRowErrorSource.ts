import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a rejected row of a media upload came from. A CSV row is a line of its job file, so
 * (file_ordinal, source_row) says it all; a row of a media zip comes from one of the zip's entries
 * (Source File) and, when the manifest names it, a manifest line (Source Row), so both are kept with
 * the row. source_row still orders the rows and keeps them unique.
 */
export class AddRowErrorSource1795630000000 implements MigrationInterface {
  name = 'AddRowErrorSource1795630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE row_error ADD COLUMN source_file text, ADD COLUMN source_line int`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE row_error DROP COLUMN source_line, DROP COLUMN source_file`);
  }
}
