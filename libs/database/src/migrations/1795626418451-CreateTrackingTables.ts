import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Organizations, administrators, tokens, jobs and the pipeline's chunk, ledger and error tables. */
export class CreateTrackingTables1795626418451 implements MigrationInterface {
  name = 'CreateTrackingTables1795626418451';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organization (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE administrator (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT fk_administrator_organization REFERENCES organization (id) ON DELETE CASCADE,
        name text NOT NULL,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX uq_administrator_org_email ON administrator (organization_id, lower(email))`,
    );
    await q.query(`
      CREATE TABLE api_token (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT fk_api_token_organization REFERENCES organization (id) ON DELETE CASCADE,
        administrator_id uuid NOT NULL CONSTRAINT fk_api_token_administrator REFERENCES administrator (id) ON DELETE CASCADE,
        role text NOT NULL CONSTRAINT ck_api_token_role CHECK (role IN ('admin', 'viewer')),
        token_hash text NOT NULL CONSTRAINT uq_api_token_hash UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE job (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL CONSTRAINT fk_job_organization REFERENCES organization (id) ON DELETE CASCADE,
        administrator_id uuid NOT NULL CONSTRAINT fk_job_administrator REFERENCES administrator (id),
        object text NOT NULL,
        mode text NOT NULL CONSTRAINT ck_job_mode CHECK (mode IN ('apply', 'validate')),
        status text NOT NULL CONSTRAINT ck_job_status CHECK (status IN ('NEW', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED')),
        file_name text NOT NULL,
        file_size bigint NOT NULL,
        upload_key text NOT NULL,
        idempotency_key text,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        ingested_at timestamptz,
        finished_at timestamptz,
        chunk_count int,
        columns text[],
        total_rows int NOT NULL DEFAULT 0,
        processed_rows int NOT NULL DEFAULT 0,
        created_rows int NOT NULL DEFAULT 0,
        updated_rows int NOT NULL DEFAULT 0,
        deleted_rows int NOT NULL DEFAULT 0,
        unchanged_rows int NOT NULL DEFAULT 0,
        failed_rows int NOT NULL DEFAULT 0,
        failure_code text,
        failure_message text,
        failure_file text,
        progressed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The backstop of the Redis lock: at most one active job per organization (spec invariant).
    await q.query(
      `CREATE UNIQUE INDEX uq_job_org_active ON job (organization_id) WHERE status IN ('NEW', 'IN_PROGRESS')`,
    );
    await q.query(
      `CREATE UNIQUE INDEX uq_job_org_idempotency_key ON job (organization_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_job_org_submitted ON job (organization_id, submitted_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_job_active ON job (progressed_at) WHERE status IN ('NEW', 'IN_PROGRESS')`,
    );
    await q.query(`
      CREATE TABLE job_file (
        job_id uuid NOT NULL CONSTRAINT fk_job_file_job REFERENCES job (id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        name text NOT NULL,
        rows int NOT NULL,
        CONSTRAINT pk_job_file PRIMARY KEY (job_id, ordinal)
      )`);
    await q.query(`
      CREATE TABLE chunk (
        job_id uuid NOT NULL CONSTRAINT fk_chunk_job REFERENCES job (id) ON DELETE CASCADE,
        seq int NOT NULL,
        organization_id uuid NOT NULL,
        file_ordinal int NOT NULL,
        row_count int NOT NULL,
        rows json NOT NULL,
        keys text[] NOT NULL,
        rejections jsonb,
        CONSTRAINT pk_chunk PRIMARY KEY (job_id, seq)
      )`);
    await q.query(`
      CREATE TABLE chunk_ledger (
        job_id uuid NOT NULL CONSTRAINT fk_chunk_ledger_job REFERENCES job (id) ON DELETE CASCADE,
        seq int NOT NULL,
        organization_id uuid NOT NULL,
        rows int NOT NULL,
        created int NOT NULL,
        updated int NOT NULL,
        deleted int NOT NULL,
        unchanged int NOT NULL,
        failed int NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_chunk_ledger PRIMARY KEY (job_id, seq)
      )`);
    await q.query(`
      CREATE TABLE row_error (
        job_id uuid NOT NULL CONSTRAINT fk_row_error_job REFERENCES job (id) ON DELETE CASCADE,
        file_ordinal int NOT NULL,
        source_row int NOT NULL,
        organization_id uuid NOT NULL,
        cells json NOT NULL,
        codes text[] NOT NULL,
        message text NOT NULL,
        CONSTRAINT pk_row_error PRIMARY KEY (job_id, file_ordinal, source_row)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'row_error',
      'chunk_ledger',
      'chunk',
      'job_file',
      'job',
      'api_token',
      'administrator',
      'organization',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
