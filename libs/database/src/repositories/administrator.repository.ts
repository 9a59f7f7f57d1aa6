import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Who an administrator is, as `GET /v1/me` shows it. */
export interface AdministratorProfile {
  name: string;
  email: string;
  orgName: string;
}

/** Reads administrators and their organization. */
@Injectable()
export class AdministratorRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** An administrator of one organization; another organization's id finds nothing. */
  async profile(orgId: string, adminId: string): Promise<AdministratorProfile | null> {
    const [row] = await this.dataSource.query<{ name: string; email: string; org: string }[]>(
      `SELECT a.name, a.email, o.name AS org FROM administrator a JOIN organization o ON o.id = a.organization_id
        WHERE a.organization_id = $1 AND a.id = $2`,
      [orgId, adminId],
    );
    return row ? { name: row.name, email: row.email, orgName: row.org } : null;
  }
}
