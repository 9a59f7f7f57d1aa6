import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobEntity } from '../entities';

/**
 * Reads the feed of job changes: every job row carries the `change_seq` of its last visible change
 * (migration AddJobChangeFeed), so "what changed after event N" is one indexed query. This is what
 * makes SSE resumption and a gateway's catch-up after a lost LISTEN connection exact.
 */
@Injectable()
export class JobChangeFeedRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The organization's jobs that changed after `afterSeq`, oldest change first. */
  async changedSince(orgId: string, afterSeq: number, limit: number): Promise<JobEntity[]> {
    return this.dataSource
      .getRepository(JobEntity)
      .createQueryBuilder('j')
      .where('j.organization_id = :orgId AND j.change_seq > :afterSeq', { orgId, afterSeq })
      .orderBy('j.change_seq', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The organization's latest change (0 before its first job). */
  async latestSeq(orgId: string): Promise<number> {
    const [row] = await this.dataSource.query<{ seq: string | null }[]>(
      `SELECT max(change_seq) AS seq FROM job WHERE organization_id = $1`,
      [orgId],
    );
    return Number(row?.seq ?? 0);
  }
}
