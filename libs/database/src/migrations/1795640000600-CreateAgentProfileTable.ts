import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The agent_profile object table (objects.md §13). Scalar references carry foreign keys; the SPECIFIC
 * lists are uuid[] with GIN indexes for IN_USE; dial plans and validation criteria are external
 * names (text[]).
 */
export class CreateAgentProfileTable1795640000600 implements MigrationInterface {
  name = 'CreateAgentProfileTable1795640000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agent_profile (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_agent_profile_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        parent_site_id uuid CONSTRAINT fk_agent_profile_parent_site REFERENCES site (id),
        screen_popups boolean,
        last_agent_routing boolean,
        wrap_up_type text,
        auto_wrap_up_time int,
        allow_auto_wrap_up_extension boolean,
        agent_available_after_outdial boolean,
        wrap_up_codes_access text,
        wrap_up_codes_ids uuid[],
        idle_codes_access text,
        idle_codes_ids uuid[],
        entry_point_access text,
        entry_points_ids uuid[],
        queue_access text,
        queues_ids uuid[],
        buddy_team_access text,
        buddy_teams_ids uuid[],
        consult_to_queue boolean,
        outdial_enabled boolean,
        outdial_entry_point_id uuid CONSTRAINT fk_agent_profile_outdial_entry_point REFERENCES outdial_entry_point (id),
        outdial_ani_id uuid CONSTRAINT fk_agent_profile_outdial_ani REFERENCES outdial_ani (id),
        address_book_id uuid CONSTRAINT fk_agent_profile_address_book REFERENCES address_book (id),
        dial_plan_enabled boolean,
        dial_plans text[],
        dn_validation text,
        validation_criteria text[],
        agent_statistics boolean,
        queue_statistics_access text,
        statistics_queues_ids uuid[],
        logged_in_team_statistics boolean,
        team_statistics_access text,
        statistics_teams_ids uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_agent_profile_org_key UNIQUE (organization_id, key_norm)
      )`);
    for (const field of ['parent_site', 'outdial_entry_point', 'outdial_ani', 'address_book']) {
      await q.query(`CREATE INDEX ix_agent_profile_${field} ON agent_profile (${field}_id)`);
    }
    for (const field of [
      'wrap_up_codes',
      'idle_codes',
      'entry_points',
      'queues',
      'buddy_teams',
      'statistics_queues',
      'statistics_teams',
    ]) {
      await q.query(
        `CREATE INDEX ix_agent_profile_${field} ON agent_profile USING gin (${field}_ids)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agent_profile`);
  }
}
