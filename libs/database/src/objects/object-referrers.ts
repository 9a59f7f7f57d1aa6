import type { EntityManager } from 'typeorm';
import type { Column, ObjectDeclaration, Referrers } from '@bulkops/objects';
import { ident } from './object-rows';

/** Which objects of one referring type count as referrers of some objects. */
export interface ReferrerQuery {
  /** The referring type. */
  referrer: ObjectDeclaration;
  /** Its reference columns to look through; a referrer counts once whichever names the object. */
  through: readonly Column[];
  /** Only referrers whose `column` differs from the value `from` holds for the referenced id. */
  differing?: { column: Column; from: ReadonlyMap<string, unknown> };
}

/** Referrers of one referenced id, optionally of one detail (what the reference says about it). */
interface ReferrerRow {
  target_id: string;
  detail: string | null;
  count: number;
  keys: string[];
}

/**
 * The one query behind "is used by": for each referenced id, the first five keys (in key order) of
 * the objects that reference it and how many there are. One statement per referring type, however
 * many ids. With `byDetail`, each id's referrers are further grouped by what the reference says
 * about it (the kind's `detailsSql`, e.g. the value a skill grant grants).
 */
async function referrerRows(
  manager: EntityManager,
  orgId: string,
  ids: readonly string[],
  query: ReferrerQuery,
  byDetail: boolean,
): Promise<ReferrerRow[]> {
  if (ids.length === 0) return [];
  const predicate = query.through
    .map((c) => c.kind.reference!.containsSql(`r.${ident(c.dbColumn)}`, 't.id'))
    .join(' OR ');
  const params: unknown[] = [orgId, ids];
  let targets = 'unnest($2::uuid[]) AS t(id)';
  let differing = '';
  if (query.differing) {
    const { column, from } = query.differing;
    params.push(ids.map((id) => from.get(id) ?? null));
    targets = `unnest($2::uuid[], $3::${column.kind.pgType}[]) AS t(id, value)`;
    differing = ` AND r.${ident(column.dbColumn)} IS DISTINCT FROM t.value`;
  }
  let details = '';
  let detail = 'NULL::text';
  if (byDetail) {
    const [column, ...others] = query.through;
    const spec = column.kind.reference!;
    if (!spec.detailsSql || others.length > 0) {
      throw new Error(`${query.referrer.type}: referrers by detail need one column with details`);
    }
    const elements = spec.detailsSql(`r.${ident(column.dbColumn)}`);
    details = ` CROSS JOIN LATERAL (${elements}) AS e WHERE e.id = t.id`;
    detail = 'e.detail';
  }
  return manager.query<ReferrerRow[]>(
    `SELECT t.id AS target_id, ${detail} AS detail, count(*)::int AS count,
            (array_agg(r.key_display ORDER BY r.key_norm))[1:5] AS keys
       FROM ${targets}
       JOIN ${ident(query.referrer.table)} r ON r.organization_id = $1 AND (${predicate})${differing}${details}
      GROUP BY 1, 2`,
    params,
  );
}

/** For each referenced id, its referrers among `query.referrer`; unreferenced ids are absent. */
export async function findReferrers(
  manager: EntityManager,
  orgId: string,
  ids: readonly string[],
  query: ReferrerQuery,
): Promise<Map<string, Referrers>> {
  const rows = await referrerRows(manager, orgId, ids, query, false);
  return new Map(rows.map((r) => [r.target_id, { keys: r.keys, count: r.count }]));
}

/** Like `findReferrers`, grouped further by detail: id → detail → referrers. */
export async function findReferrersByDetail(
  manager: EntityManager,
  orgId: string,
  ids: readonly string[],
  query: ReferrerQuery,
): Promise<Map<string, Map<string, Referrers>>> {
  const found = new Map<string, Map<string, Referrers>>();
  for (const r of await referrerRows(manager, orgId, ids, query, true)) {
    const byDetail = found.get(r.target_id) ?? new Map<string, Referrers>();
    byDetail.set(r.detail ?? '', { keys: r.keys, count: r.count });
    found.set(r.target_id, byDetail);
  }
  return found;
}
