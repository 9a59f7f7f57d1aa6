import type { DataSource } from 'typeorm';

/**
 * One ingest of a job at a time, across every ingest replica: a Postgres session advisory lock on
 * the job id, held on its own connection for the whole read. Status sends an upload to ingest again
 * when it saw no sign of life for a while; if the first read is in fact alive, the second finds the
 * lock taken and leaves. If the first reader died, its session ended and the lock with it.
 */
export async function withIngestLock(
  dataSource: DataSource,
  jobId: string,
  read: () => Promise<void>,
): Promise<'done' | 'busy'> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [{ locked }] = (await runner.query(
      `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
      [`ingest:${jobId}`],
    )) as { locked: boolean }[];
    if (!locked) return 'busy';
    try {
      await read();
      return 'done';
    } finally {
      await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`ingest:${jobId}`]);
    }
  } finally {
    await runner.release();
  }
}
