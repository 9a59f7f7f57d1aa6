import { ErrorCode } from '@bulkops/contracts';
import { compareText, type HookContext, quoteKeys } from '../declaration-kit';

interface CodeKind {
  id: string;
  key_display: string;
  type: string;
}

const LISTS = [
  {
    column: 'Wrap Up Codes',
    field: 'wrapUpCodes',
    kind: 'WRAP_UP_CODE',
    one: 'a wrap-up code',
    many: 'wrap-up codes',
  },
  {
    column: 'Idle Codes',
    field: 'idleCodes',
    kind: 'IDLE_CODE',
    one: 'an idle code',
    many: 'idle codes',
  },
] as const;

/**
 * objects.md §13: Wrap Up Codes lists wrap-up codes only and Idle Codes idle codes only. A code's
 * kind is its work type's Type, one step beyond the code itself, so one query for the whole chunk
 * loads the kinds of every listed code.
 */
export async function requireCodeKinds(context: HookContext): Promise<void> {
  const upserts = context.rows.filter((row) => row.action === 'upsert' && !row.rejected);
  const ids = new Set(
    upserts.flatMap((row) =>
      LISTS.flatMap((list) => (row.values[list.field] as string[] | null) ?? []),
    ),
  );
  if (ids.size === 0) return;
  const kinds = new Map(
    (
      await context.query<CodeKind>(
        `SELECT c.id, c.key_display, w.type
           FROM auxiliary_code c JOIN work_type w ON w.id = c.work_type_id
          WHERE c.organization_id = $1 AND c.id = ANY($2::uuid[])`,
        [context.orgId, [...ids]],
      )
    ).map((code) => [code.id, code]),
  );
  for (const row of upserts) {
    for (const list of LISTS) {
      const wrong = ((row.values[list.field] as string[] | null) ?? [])
        .map((id) => kinds.get(id)!)
        .filter((code) => code.type !== list.kind)
        .map((code) => code.key_display)
        .sort(compareText);
      if (wrong.length === 0) continue;
      const many = wrong.length > 1;
      const other = LISTS.find((l) => l !== list)!;
      row.reject({
        code: ErrorCode.InvalidReference,
        column: list.column,
        message: `${list.column}: ${quoteKeys(wrong)} ${many ? `are ${other.many}` : `is ${other.one}`} (by the Type of ${many ? 'their' : 'its'} work type), not ${many ? list.many : list.one}; list ${many ? 'them' : 'it'} under ${other.column} instead`,
      });
    }
  }
}
