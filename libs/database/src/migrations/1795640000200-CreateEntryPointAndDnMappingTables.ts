import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Object tables of entry-point and dn-mapping (objects.md §7, §18). */
export class CreateEntryPointAndDnMappingTables1795640000200 implements MigrationInterface {
  name = 'CreateEntryPointAndDnMappingTables1795640000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entry_point (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_entry_point_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        service_level_threshold int NOT NULL,
        timezone text NOT NULL,
        channel_type text NOT NULL,
        social_channel_type text,
        asset_name text,
        flow text,
        music_on_hold_id uuid CONSTRAINT fk_entry_point_music_on_hold REFERENCES audio_file (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_entry_point_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`CREATE INDEX ix_entry_point_music_on_hold ON entry_point (music_on_hold_id)`);
    // key_norm is the dialed number without '.' and '-' (objects.md §18), so one number has one row.
    await q.query(`
      CREATE TABLE dn_mapping (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_dn_mapping_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        dialed_number text NOT NULL,
        entry_point_id uuid NOT NULL CONSTRAINT fk_dn_mapping_entry_point REFERENCES entry_point (id),
        region text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_dn_mapping_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`CREATE INDEX ix_dn_mapping_entry_point ON dn_mapping (entry_point_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['dn_mapping', 'entry_point']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
