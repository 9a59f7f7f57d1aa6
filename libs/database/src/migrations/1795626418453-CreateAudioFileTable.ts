import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The audio_file object table: its declared columns (the stored audio itself comes later). */
export class CreateAudioFileTable1795626418453 implements MigrationInterface {
  name = 'CreateAudioFileTable1795626418453';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audio_file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_audio_file_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_audio_file_org_key UNIQUE (organization_id, key_norm)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audio_file`);
  }
}
