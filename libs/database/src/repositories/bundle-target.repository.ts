import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A row of the job's bundle that would create an object of a type, and whether it was rejected. */
export interface RecordedTarget {
  keyNorm: string;
  leafNorm: string;
  keyDisplay: string;
  place: string;
  values: Record<string, unknown>;
  /** The job has a row error for it: rejected by ingest or by the worker, or never applied. */
  rejected: boolean;
}

/**
 * The create rows a bundle job's upload holds, by type and key (written by ingest with the chunks,
 * see ChunkRepository.stage). Read by the worker for names its tables do not hold: a rejected row
 * blocks what references it, and validate mode binds to rows it rolled back. Because a bundle's
 * types are applied one after another, every row of an earlier type has its row error (if any) by
 * the time a later type asks. Scoped to one organization.
 */
@Injectable()
export class BundleTargetRepository {
  /** The recorded rows of `object` whose key or (for bare names) leaf is one of `norms`. */
  async find(
    manager: EntityManager,
    orgId: string,
    jobId: string,
    object: string,
    norms: readonly string[],
  ): Promise<RecordedTarget[]> {
    if (norms.length === 0) return [];
    return manager.query<RecordedTarget[]>(
      `SELECT t.key_norm AS "keyNorm", t.leaf_norm AS "leafNorm", t.key_display AS "keyDisplay",
              t.place, t."values",
              EXISTS (SELECT 1 FROM row_error e
                       WHERE e.job_id = t.job_id AND e.file_ordinal = t.file_ordinal
                         AND e.source_row = t.line) AS rejected
         FROM bundle_target t
        WHERE t.organization_id = $1 AND t.job_id = $2 AND t.object = $3
          AND (t.key_norm = ANY($4::text[]) OR t.leaf_norm = ANY($4::text[]))
        ORDER BY t.file_ordinal, t.line`,
      [orgId, jobId, object, norms],
    );
  }
}
