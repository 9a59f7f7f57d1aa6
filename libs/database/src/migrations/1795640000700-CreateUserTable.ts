import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The "user" object table (objects.md §14); the name is a reserved word, hence quoted. */
export class CreateUserTable1795640000700 implements MigrationInterface {
  name = 'CreateUserTable1795640000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "user" (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_user_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        email text NOT NULL,
        first_name text,
        last_name text,
        user_profile_id uuid NOT NULL CONSTRAINT fk_user_user_profile REFERENCES user_profile (id),
        contact_center_enabled boolean,
        site_id uuid CONSTRAINT fk_user_site REFERENCES site (id),
        teams_ids uuid[],
        skill_profile_id uuid CONSTRAINT fk_user_skill_profile REFERENCES skill_profile (id),
        agent_profile_id uuid CONSTRAINT fk_user_agent_profile REFERENCES agent_profile (id),
        multimedia_profile text,
        external_id text,
        default_dn text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_user_org_key UNIQUE (organization_id, key_norm)
      )`);
    for (const field of ['user_profile', 'site', 'skill_profile', 'agent_profile']) {
      await q.query(`CREATE INDEX ix_user_${field} ON "user" (${field}_id)`);
    }
    await q.query(`CREATE INDEX ix_user_teams ON "user" USING gin (teams_ids)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "user"`);
  }
}
