import { ErrorCode } from '@bulkops/contracts';
import { type HookContext, quoteKeys } from '../declaration-kit';

interface Users {
  work_type_id: string;
  codes: string[];
  count: number;
}

/**
 * objects.md §3: a work type's Type is the kind of its auxiliary codes, so it cannot change while a
 * code uses the work type (agent profiles list those codes as idle or wrap-up codes). One query
 * for the whole chunk finds the codes of the work types whose Type the chunk changes.
 */
export async function keepTypeWhileCodesUseIt(context: HookContext): Promise<void> {
  const changes = context.rows.filter(
    (row) =>
      row.action === 'upsert' &&
      !row.rejected &&
      row.existing &&
      row.existing['type'] !== row.values['type'],
  );
  if (changes.length === 0) return;
  const users = await context.query<Users>(
    `SELECT work_type_id, (array_agg(key_display ORDER BY key_norm))[1:5] AS codes, count(*)::int AS count
       FROM auxiliary_code
      WHERE organization_id = $1 AND work_type_id = ANY($2::uuid[])
      GROUP BY work_type_id`,
    [context.orgId, changes.map((row) => row.id)],
  );
  const byWorkType = new Map(users.map((u) => [u.work_type_id, u]));
  for (const row of changes) {
    const used = byWorkType.get(row.id!);
    if (!used) continue;
    row.reject({
      code: ErrorCode.ImmutableField,
      column: 'Type',
      message: `Type: cannot change while auxiliary code${used.count > 1 ? 's' : ''} ${quoteKeys(used.codes, used.count)} use${used.count > 1 ? '' : 's'} the work type (it is stored as '${String(row.existing!['type'])}', the row says '${String(row.values['type'])}'); move those codes to another work type first or keep the Type`,
    });
  }
}
