import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The user_profile object table (objects.md §12). The SPECIFIC lists are uuid[] ordered by the
 * targets' keys; their GIN indexes answer "which profiles list this object" (IN_USE).
 */
export class CreateUserProfileTable1795640000500 implements MigrationInterface {
  name = 'CreateUserProfileTable1795640000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE user_profile (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_user_profile_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        profile_type text NOT NULL,
        entry_point_access text,
        entry_points_ids uuid[],
        queue_access text,
        queues_ids uuid[],
        site_access text,
        sites_ids uuid[],
        team_access text,
        teams_ids uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_user_profile_org_key UNIQUE (organization_id, key_norm)
      )`);
    for (const field of ['entry_points', 'queues', 'sites', 'teams']) {
      await q.query(
        `CREATE INDEX ix_user_profile_${field} ON user_profile USING gin (${field}_ids)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_profile`);
  }
}
