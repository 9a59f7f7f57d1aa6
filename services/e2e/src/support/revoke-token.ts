import type { DataSource } from 'typeorm';
import { hashApiToken, ProvisioningRepository } from '@bulkops/database';

/** Revokes a token by its plaintext, as `bulkops admin revoke-token` does by id. */
export async function revokeTokenForTest(dataSource: DataSource, token: string): Promise<void> {
  const [row] = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM api_token WHERE token_hash = $1`,
    [hashApiToken(token)],
  );
  expect(await new ProvisioningRepository(dataSource).revokeToken(row.id)).toBe(true);
}
