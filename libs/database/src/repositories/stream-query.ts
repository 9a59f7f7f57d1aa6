import type { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';

/** Rows streaming from a server-side cursor, and how to give its connection back. */
export interface StreamedRows {
  rows: Readable;
  release: () => Promise<void>;
}

/**
 * Runs `sql` on a connection of its own and streams the rows from a server-side cursor, so a result
 * of any size passes through in constant memory. The caller must consume or destroy the stream,
 * then release; the connection is released here when the query cannot start.
 */
export async function streamQuery(
  dataSource: DataSource,
  sql: string,
  params: unknown[],
): Promise<StreamedRows> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const rows = await runner.stream(sql, params);
    return { rows, release: () => runner.release() };
  } catch (error) {
    await runner.release();
    throw error;
  }
}
