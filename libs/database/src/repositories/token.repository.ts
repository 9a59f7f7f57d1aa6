import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '@bulkops/contracts';

/** Who a valid token speaks for. */
export interface Principal {
  tokenId: string;
  orgId: string;
  adminId: string;
  role: Role;
}

/**
 * Looks tokens up by hash for authentication. The one tenant read that takes no organization: the
 * token is what decides the organization every later query is scoped to.
 */
@Injectable()
export class TokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The principal of an unrevoked token with this hash, or null. */
  async findActiveByHash(tokenHash: string): Promise<Principal | null> {
    const rows: { id: string; organization_id: string; administrator_id: string; role: Role }[] =
      await this.dataSource.query(
        `SELECT id, organization_id, administrator_id, role FROM api_token WHERE token_hash = $1 AND revoked_at IS NULL`,
        [tokenHash],
      );
    const row = rows[0];
    return row
      ? {
          tokenId: row.id,
          orgId: row.organization_id,
          adminId: row.administrator_id,
          role: row.role,
        }
      : null;
  }
}
