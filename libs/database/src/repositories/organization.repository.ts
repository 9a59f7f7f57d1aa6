import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The tenants themselves, for work that runs across all of them (retention's blob collection). */
@Injectable()
export class OrganizationRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every organization's id, in a stable order. */
  async ids(): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM organization ORDER BY id`,
    );
    return rows.map((r) => r.id);
  }
}
