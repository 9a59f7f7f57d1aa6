import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The content columns of audio_file (objects.md §17): what the RIFF header said and the sha256 that
 * names the bytes in the blob store. NOT NULL without a default: no audio file could be imported
 * before this migration, so the table is empty, and a row without its audio must not exist.
 */
export class AddAudioFileContent1795630000001 implements MigrationInterface {
  name = 'AddAudioFileContent1795630000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audio_file
        ADD COLUMN sha256 text NOT NULL,
        ADD COLUMN size_bytes int NOT NULL,
        ADD COLUMN encoding text NOT NULL,
        ADD COLUMN sample_rate int NOT NULL,
        ADD COLUMN channels int NOT NULL,
        ADD COLUMN bits_per_sample int NOT NULL`);
    // Before the worker removes a blob it asks whether any audio file still names it.
    await q.query(`CREATE INDEX ix_audio_file_sha256 ON audio_file (organization_id, sha256)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_audio_file_sha256`);
    await q.query(`
      ALTER TABLE audio_file
        DROP COLUMN bits_per_sample, DROP COLUMN channels, DROP COLUMN sample_rate,
        DROP COLUMN encoding, DROP COLUMN size_bytes, DROP COLUMN sha256`);
  }
}
