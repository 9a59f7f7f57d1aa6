import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Object tables of work-type and auxiliary-code (objects.md §3, §4). */
export class CreateWorkTypeAndAuxiliaryCodeTables1795640000000 implements MigrationInterface {
  name = 'CreateWorkTypeAndAuxiliaryCodeTables1795640000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE work_type (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_work_type_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_work_type_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`
      CREATE TABLE auxiliary_code (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_auxiliary_code_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        is_default boolean,
        work_type_id uuid NOT NULL CONSTRAINT fk_auxiliary_code_work_type REFERENCES work_type (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_auxiliary_code_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`CREATE INDEX ix_auxiliary_code_work_type ON auxiliary_code (work_type_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['auxiliary_code', 'work_type']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
