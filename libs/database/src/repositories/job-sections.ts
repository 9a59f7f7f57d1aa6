import type { EntityManager } from 'typeorm';
import type { JobCounts, JobSection } from '@bulkops/contracts';
import { dependencyRank } from '@bulkops/objects';

/** What a bundle job's view shows besides its totals. */
export interface BundleDetails {
  sections: JobSection[];
  applying: string | null;
}

interface SectionRow {
  job_id: string;
  object: string;
  files: { name: string; rows: number }[] | null;
  total: number;
  processed: number;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
}

/**
 * The sections of bundle jobs of one organization, in one statement: each type's files (job_file)
 * and counts from the ledger (never from events), in dependency order; and the type being applied,
 * the type of the first chunk, in apply order, that has no ledger row yet.
 */
export async function bundleDetailsOf(
  manager: EntityManager,
  orgId: string,
  jobIds: readonly string[],
): Promise<Map<string, BundleDetails>> {
  const details = new Map<string, BundleDetails>(
    jobIds.map((id) => [id, { sections: [], applying: null }]),
  );
  if (jobIds.length === 0) return details;
  const [sections, applying] = await Promise.all([
    manager.query<SectionRow[]>(
      `WITH files AS (
         SELECT f.job_id, coalesce(f.object, j.object) AS object,
                json_agg(json_build_object('name', f.name, 'rows', f.rows) ORDER BY f.ordinal) AS files,
                sum(f.rows)::int AS total
           FROM job_file f JOIN job j ON j.id = f.job_id
          WHERE j.organization_id = $1 AND f.job_id = ANY($2::uuid[])
          GROUP BY f.job_id, coalesce(f.object, j.object)
       ), ledger AS (
         SELECT l.job_id, coalesce(l.object, j.object) AS object, sum(l.rows)::int AS processed,
                sum(l.created)::int AS created, sum(l.updated)::int AS updated,
                sum(l.deleted)::int AS deleted, sum(l.unchanged)::int AS unchanged,
                sum(l.failed)::int AS failed
           FROM chunk_ledger l JOIN job j ON j.id = l.job_id
          WHERE l.organization_id = $1 AND l.job_id = ANY($2::uuid[])
          GROUP BY l.job_id, coalesce(l.object, j.object)
       )
       SELECT coalesce(f.job_id, l.job_id) AS job_id, coalesce(f.object, l.object) AS object, f.files,
              coalesce(f.total, 0) AS total, coalesce(l.processed, 0) AS processed,
              coalesce(l.created, 0) AS created, coalesce(l.updated, 0) AS updated,
              coalesce(l.deleted, 0) AS deleted, coalesce(l.unchanged, 0) AS unchanged,
              coalesce(l.failed, 0) AS failed
         FROM files f FULL JOIN ledger l ON l.job_id = f.job_id AND l.object = f.object`,
      [orgId, jobIds],
    ),
    manager.query<{ job_id: string; object: string }[]>(
      `SELECT DISTINCT ON (c.job_id) c.job_id, coalesce(c.object, j.object) AS object
         FROM chunk c JOIN job j ON j.id = c.job_id
        WHERE c.organization_id = $1 AND c.job_id = ANY($2::uuid[])
          AND NOT EXISTS (SELECT 1 FROM chunk_ledger l WHERE l.job_id = c.job_id AND l.seq = c.seq)
        ORDER BY c.job_id, c.phase, c.seq`,
      [orgId, jobIds],
    ),
  ]);
  for (const row of sections) {
    details.get(row.job_id)?.sections.push({
      object: row.object,
      files: row.files ?? [],
      counts: countsOf(row),
    });
  }
  for (const entry of details.values()) {
    entry.sections.sort((a, b) => dependencyRank(a.object) - dependencyRank(b.object));
  }
  for (const row of applying) {
    const entry = details.get(row.job_id);
    if (entry) entry.applying = row.object;
  }
  return details;
}

function countsOf(row: SectionRow): JobCounts {
  return {
    total: row.total,
    processed: row.processed,
    succeeded: row.created + row.updated + row.deleted + row.unchanged,
    failed: row.failed,
    created: row.created,
    updated: row.updated,
    deleted: row.deleted,
    unchanged: row.unchanged,
  };
}
