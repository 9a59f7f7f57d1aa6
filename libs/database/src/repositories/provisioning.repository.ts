import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BulkopsError, ErrorCode, Role } from '@bulkops/contracts';
import { AdministratorEntity, ApiTokenEntity, OrganizationEntity } from '../entities';
import { uniqueViolation } from '../pg-errors';

/** What a provisioning command prints (spec/api.md "Provisioning"). */
export interface IssuedToken {
  orgId: string;
  adminId: string;
  tokenId: string;
  role: Role;
}

/**
 * Organizations, administrators and their tokens, for the operator's `bulkops admin` commands (never
 * reachable through the API). Tokens arrive hashed; plaintext never lands.
 */
@Injectable()
export class ProvisioningRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates an organization with its first administrator and token, all or nothing. */
  async createOrganization(input: {
    name: string;
    adminName: string;
    adminEmail: string;
    role: Role;
    tokenHash: string;
  }): Promise<IssuedToken> {
    return this.dataSource.transaction(async (manager) => {
      const orgId = randomUUID();
      const adminId = randomUUID();
      const tokenId = randomUUID();
      await manager.insert(OrganizationEntity, { id: orgId, name: input.name });
      await manager.insert(AdministratorEntity, {
        id: adminId,
        organizationId: orgId,
        name: input.adminName,
        email: input.adminEmail,
      });
      await manager.insert(ApiTokenEntity, {
        id: tokenId,
        organizationId: orgId,
        administratorId: adminId,
        role: input.role,
        tokenHash: input.tokenHash,
        revokedAt: null,
      });
      return { orgId, adminId, tokenId, role: input.role };
    });
  }

  /**
   * Issues a token to an administrator of an organization, adding the administrator when a name is
   * given and they do not exist yet.
   */
  async createToken(input: {
    orgId: string;
    adminEmail: string;
    adminName?: string;
    role: Role;
    tokenHash: string;
  }): Promise<IssuedToken> {
    return this.dataSource.transaction(async (manager) => {
      const org = await manager.findOneBy(OrganizationEntity, { id: input.orgId });
      if (!org) {
        throw new BulkopsError(
          ErrorCode.NotFound,
          `No organization has the id ${input.orgId}; check --org`,
        );
      }
      let admin = await manager
        .createQueryBuilder(AdministratorEntity, 'a')
        .where('a.organization_id = :orgId AND lower(a.email) = lower(:email)', {
          orgId: input.orgId,
          email: input.adminEmail,
        })
        .getOne();
      if (!admin) {
        if (!input.adminName) {
          throw new BulkopsError(
            ErrorCode.NotFound,
            `${input.adminEmail} is not an administrator of organization ${input.orgId}; pass --admin-name to add them`,
          );
        }
        admin = manager.create(AdministratorEntity, {
          id: randomUUID(),
          organizationId: input.orgId,
          name: input.adminName,
          email: input.adminEmail,
        });
        try {
          await manager.insert(AdministratorEntity, admin);
        } catch (error) {
          if (uniqueViolation(error) === null) throw error;
          throw new BulkopsError(
            ErrorCode.InvalidRequest,
            `${input.adminEmail} was added at the same moment; run the command again`,
            {},
            true,
          );
        }
      }
      const tokenId = randomUUID();
      await manager.insert(ApiTokenEntity, {
        id: tokenId,
        organizationId: input.orgId,
        administratorId: admin.id,
        role: input.role,
        tokenHash: input.tokenHash,
        revokedAt: null,
      });
      return { orgId: input.orgId, adminId: admin.id, tokenId, role: input.role };
    });
  }

  /** Revokes a token; revoking twice is harmless. Answers false when no such token exists. */
  async revokeToken(tokenId: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: () => 'coalesce(revoked_at, now())' })
      .where('id = :tokenId', { tokenId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
