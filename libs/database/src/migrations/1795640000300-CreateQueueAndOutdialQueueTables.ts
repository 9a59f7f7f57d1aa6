import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Object tables of queue and outdial-queue (objects.md §9, §10). Call Distribution is jsonb
 * `[{after, teams: [id…]}]`; its GIN index answers "which queues distribute to this team" (IN_USE).
 */
export class CreateQueueAndOutdialQueueTables1795640000300 implements MigrationInterface {
  name = 'CreateQueueAndOutdialQueueTables1795640000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE queue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_queue_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        channel_type text NOT NULL,
        social_channel_type text,
        service_level_threshold int NOT NULL,
        max_time_in_queue int NOT NULL,
        timezone text,
        permit_monitoring boolean,
        permit_recording boolean,
        record_all_calls boolean,
        pause_or_resume_enabled boolean,
        recording_pause_duration int,
        default_music_in_queue_id uuid CONSTRAINT fk_queue_default_music_in_queue REFERENCES audio_file (id),
        routing_type text,
        skill_based_agent_selection text,
        call_distribution jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_queue_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(
      `CREATE INDEX ix_queue_default_music_in_queue ON queue (default_music_in_queue_id)`,
    );
    await q.query(
      `CREATE INDEX ix_queue_call_distribution ON queue USING gin (call_distribution jsonb_path_ops)`,
    );
    await q.query(`
      CREATE TABLE outdial_queue (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL CONSTRAINT fk_outdial_queue_organization REFERENCES organization (id) ON DELETE CASCADE,
        key_norm text NOT NULL,
        key_display text NOT NULL,
        name text NOT NULL,
        description text,
        service_level_threshold int NOT NULL,
        max_time_in_queue int NOT NULL,
        timezone text,
        permit_monitoring boolean,
        permit_recording boolean,
        record_all_calls boolean,
        pause_or_resume_enabled boolean,
        recording_pause_duration int,
        default_music_in_queue_id uuid CONSTRAINT fk_outdial_queue_default_music_in_queue REFERENCES audio_file (id),
        call_distribution jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_outdial_queue_org_key UNIQUE (organization_id, key_norm)
      )`);
    await q.query(
      `CREATE INDEX ix_outdial_queue_default_music_in_queue ON outdial_queue (default_music_in_queue_id)`,
    );
    await q.query(
      `CREATE INDEX ix_outdial_queue_call_distribution ON outdial_queue USING gin (call_distribution jsonb_path_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['outdial_queue', 'queue']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
