import { Client } from 'pg';

/** The advisory lock key of the reaper ("bulk" in ASCII); advisory locks are per database. */
const REAPER_LOCK_KEY = 0x62756c6b;

/**
 * Which status replica runs the reaper: the one holding a Postgres session advisory lock on its own
 * connection. Postgres releases the lock when that session ends (the process died, or Postgres
 * restarted), so another replica takes over on its next tick, with no lease to tune. Asked before
 * every tick; a broken connection is dropped and the lock sought again on a fresh one.
 */
export class ReaperLeadership {
  private client: Client | null = null;
  private broken = false;

  constructor(private readonly databaseUrl: string) {}

  /** Whether this process leads now. Never throws: an unreachable Postgres means "not now". */
  async leads(): Promise<boolean> {
    try {
      if (this.client && !this.broken) {
        await this.client.query('SELECT 1');
        return true;
      }
      await this.drop();
      const client = new Client({
        connectionString: this.databaseUrl,
        application_name: 'status-reaper',
      });
      client.on('error', () => (this.broken = true));
      await client.connect();
      const [row] = (
        await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
          REAPER_LOCK_KEY,
        ])
      ).rows;
      if (row?.locked) {
        this.client = client;
        this.broken = false;
        return true;
      }
      await client.end();
      return false;
    } catch {
      this.broken = true;
      return false;
    }
  }

  /** Ends the session, releasing the lock at once (shutdown). */
  async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
