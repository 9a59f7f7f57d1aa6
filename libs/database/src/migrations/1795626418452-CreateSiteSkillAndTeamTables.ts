import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Object tables of site, skill-definition, skill-profile and team. Every object table has the same
 * frame (id, organization, normalised and display key, timestamps) around its declared columns;
 * reference columns hold ids with a foreign key, so a referenced object cannot vanish.
 */
export class CreateSiteSkillAndTeamTables1795626418452 implements MigrationInterface {
  name = 'CreateSiteSkillAndTeamTables1795626418452';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE site (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_site_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        multimedia_profile text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_site_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`
      CREATE TABLE skill_definition (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_skill_definition_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        service_level_threshold int NOT NULL,
        type text NOT NULL,
        enum_values text[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_skill_definition_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(`
      CREATE TABLE skill_profile (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_skill_profile_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        skills jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_skill_profile_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(
      `CREATE INDEX ix_skill_profile_skills ON skill_profile USING gin (skills jsonb_path_ops)`,
    );
    await q.query(`
      CREATE TABLE team (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_team_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        site_id uuid NOT NULL CONSTRAINT fk_team_site REFERENCES site (id),
        type text NOT NULL,
        multimedia_profile text,
        skill_profile_id uuid CONSTRAINT fk_team_skill_profile REFERENCES skill_profile (id),
        dn text,
        capacity int,
        desktop_layout text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_team_org_key UNIQUE (organization_id, key_norm)
      )`);
    // Bare team names (objects.md §1.5) are looked up by name alone.
    await q.query(`CREATE INDEX ix_team_org_name ON team (organization_id, lower(name))`);
    await q.query(`CREATE INDEX ix_team_site ON team (site_id)`);
    await q.query(`CREATE INDEX ix_team_skill_profile ON team (skill_profile_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['team', 'skill_profile', 'skill_definition', 'site']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
