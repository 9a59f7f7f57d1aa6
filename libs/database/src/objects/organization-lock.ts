import type { EntityManager } from 'typeorm';

/**
 * Holds the organization's transaction lock of this name until the caller's transaction ends: the
 * way object code serialises what must not interleave across chunks applied side by side (one
 * default per kind, the blob books of a type).
 */
export async function lockOrganization(
  manager: EntityManager,
  orgId: string,
  name: string,
): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `${name}:${orgId}`,
  ]);
}
