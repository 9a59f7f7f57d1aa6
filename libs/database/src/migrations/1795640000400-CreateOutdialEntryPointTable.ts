import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The outdial_entry_point object table (objects.md §8). */
export class CreateOutdialEntryPointTable1795640000400 implements MigrationInterface {
  name = 'CreateOutdialEntryPointTable1795640000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outdial_entry_point (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_outdial_entry_point_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        service_level_threshold int NOT NULL,
        timezone text NOT NULL,
        outdial_queue_id uuid CONSTRAINT fk_outdial_entry_point_outdial_queue REFERENCES outdial_queue (id),
        flow text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outdial_entry_point_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(
      `CREATE INDEX ix_outdial_entry_point_outdial_queue ON outdial_entry_point (outdial_queue_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outdial_entry_point`);
  }
}
