import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns a job's JSON shows: a change to any of them is an event for its SSE subscribers. */
const VISIBLE_COLUMNS = [
  'status',
  'total_rows',
  'processed_rows',
  'created_rows',
  'updated_rows',
  'deleted_rows',
  'unchanged_rows',
  'failed_rows',
  'chunk_count',
  'failure_code',
  'failure_message',
  'failure_file',
  'started_at',
  'finished_at',
];

/**
 * The live feed of job changes (spec/api.md `GET /v1/jobs/{id}/events`, `GET /v1/events`). Every
 * insert of a job, and every update that changes what its JSON shows, gives the row a new
 * `change_seq` from one sequence and sends `pg_notify('bulkops_job_changed', 'orgId,jobId,seq')`.
 * Postgres delivers the notification only when the transaction commits, whichever service wrote
 * it, so a gateway never announces a change that was rolled back, and no writer has to remember to
 * publish. `change_seq` is also the SSE event id: a client that reconnects with `Last-Event-ID`
 * gets every job whose `change_seq` is greater (the index below), so a lost notification or a
 * restarted gateway costs nothing that Postgres cannot answer again.
 */
export class AddJobChangeFeed1795660000000 implements MigrationInterface {
  name = 'AddJobChangeFeed1795660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE job_change_seq AS bigint`);
    await q.query(`ALTER TABLE job ADD COLUMN change_seq bigint`);
    await q.query(`UPDATE job SET change_seq = nextval('job_change_seq')`);
    // No default: the trigger numbers every insert (constraints are checked after BEFORE triggers).
    await q.query(`ALTER TABLE job ALTER COLUMN change_seq SET NOT NULL`);
    await q.query(`CREATE INDEX ix_job_org_change ON job (organization_id, change_seq)`);
    const changed = VISIBLE_COLUMNS.map((c) => `NEW.${c} IS DISTINCT FROM OLD.${c}`).join(' OR ');
    await q.query(`
      CREATE FUNCTION job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NOT (${changed}) THEN
          RETURN NEW;
        END IF;
        NEW.change_seq := nextval('job_change_seq');
        PERFORM pg_notify('bulkops_job_changed', NEW.organization_id || ',' || NEW.id || ',' || NEW.change_seq);
        RETURN NEW;
      END
      $$`);
    await q.query(
      `CREATE TRIGGER trg_job_changed BEFORE INSERT OR UPDATE OF ${VISIBLE_COLUMNS.join(', ')} ON job
         FOR EACH ROW EXECUTE FUNCTION job_changed()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_job_changed ON job`);
    await q.query(`DROP FUNCTION job_changed()`);
    await q.query(`DROP INDEX ix_job_org_change`);
    await q.query(`ALTER TABLE job DROP COLUMN change_seq`);
    await q.query(`DROP SEQUENCE job_change_seq`);
  }
}
