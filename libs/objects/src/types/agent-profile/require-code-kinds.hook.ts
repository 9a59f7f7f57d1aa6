import { ErrorCode } from '@bulkops/contracts';
import type { AuxiliaryCode } from '../auxiliary-code/auxiliary-code.object';
import { compareText, quoteKeys, type HookContext } from '../declaration-kit';
import type { WorkType } from '../work-type/work-type.object';
import type { AgentProfile } from './agent-profile.object';

const LISTS = [
  {
    column: 'Wrap Up Codes',
    kind: 'WRAP_UP_CODE',
    one: 'a wrap-up code',
    many: 'wrap-up codes',
  },
  {
    column: 'Idle Codes',
    kind: 'IDLE_CODE',
    one: 'an idle code',
    many: 'idle codes',
  },
] as const;

/**
 * objects.md §13: Wrap Up Codes lists wrap-up codes only and Idle Codes idle codes only. A code's
 * kind is its work type's Type, one step beyond the code itself, so one query for the listed codes
 * and one for their work types serve the whole chunk.
 */
export async function requireCodeKinds(context: HookContext<AgentProfile>): Promise<void> {
  const upserts = context.upserts();
  const ids = new Set(
    upserts.flatMap((row) => LISTS.flatMap((list) => row.get(list.column) ?? [])),
  );
  if (ids.size === 0) return;
  const codes = await context.records<AuxiliaryCode>('auxiliary-code', ids);
  const workTypes = await context.records<WorkType>(
    'work-type',
    [...codes.values()].map((code) => code.get('Work Type')!),
  );
  const kindOf = (id: string): string | null =>
    workTypes.get(codes.get(id)!.get('Work Type')!)!.get('Type');
  for (const row of upserts) {
    for (const list of LISTS) {
      const wrong = (row.get(list.column) ?? [])
        .filter((id) => kindOf(id) !== list.kind)
        .map((id) => codes.get(id)!.keyDisplay)
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
