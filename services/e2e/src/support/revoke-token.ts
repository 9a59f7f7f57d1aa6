import type { DataSource } from 'typeorm';
import { hashApiToken, ProvisioningRepository } from '@bulkops/database';
import { waitFor, type ApiDriver } from '@bulkops/testing';

/**
 * Revokes a token by its plaintext, as `bulkops admin revoke-token` does by id. With `gateway`, it
 * also waits until that gateway refuses the token: gateways remember recent token lookups and drop
 * a revoked one when Postgres' notification of the revocation arrives, milliseconds after the
 * revoking transaction commits — a request sent in between may still pass.
 */
export async function revokeTokenForTest(
  dataSource: DataSource,
  token: string,
  gateway?: ApiDriver,
): Promise<void> {
  const [row] = await dataSource.query<{ id: string }[]>(
    `SELECT id FROM api_token WHERE token_hash = $1`,
    [hashApiToken(token)],
  );
  expect(await new ProvisioningRepository(dataSource).revokeToken(row.id)).toBe(true);
  if (gateway) {
    await waitFor(
      'the gateway to refuse the revoked token',
      async () => (await gateway.get('/v1/me', token)).status === 401,
      10_000,
    );
  }
}
