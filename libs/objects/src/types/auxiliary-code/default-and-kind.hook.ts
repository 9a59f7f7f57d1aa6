import { ErrorCode } from '@bulkops/contracts';
import type { AgentProfile } from '../agent-profile/agent-profile.object';
import {
  quote,
  quoteKeys,
  type HookContext,
  type HookRow,
  type StoredObject,
} from '../declaration-kit';
import type { WorkType } from '../work-type/work-type.object';
import type { AuxiliaryCode } from './auxiliary-code.object';

type CodeRow = HookRow<AuxiliaryCode>;
type WorkTypes = ReadonlyMap<string, StoredObject<WorkType>>;

/** Serialises the organization's default flags, so chunks side by side cannot leave two defaults. */
const DEFAULT_LOCK = 'default';

const KIND_WORDS: Record<string, string> = { IDLE_CODE: 'idle', WRAP_UP_CODE: 'wrap-up' };

function kindWord(type: string | null | undefined): string {
  return KIND_WORDS[type ?? ''] ?? String(type);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** The Type of a work type ('' when it is unknown), which is the kind of its codes. */
function kindOf(workTypes: WorkTypes, workTypeId: string | null | undefined): string {
  return (workTypeId ? workTypes.get(workTypeId)?.get('Type') : null) ?? '';
}

/** The work types of these codes' rows, as written and as stored: one query for the chunk. */
function workTypesOf(context: HookContext<AuxiliaryCode>, rows: readonly CodeRow[]) {
  const ids = new Set<string>();
  for (const row of rows) {
    const now = row.get('Work Type');
    const before = row.existing?.get('Work Type');
    if (now) ids.add(now);
    if (before) ids.add(before);
  }
  return context.records<WorkType>('work-type', ids);
}

/**
 * objects.md §4, before the chunk is written: at most one row per kind may claim the default (two
 * would contradict each other, so both are rejected), and a code listed by an agent profile may not
 * move to a work type of the other kind. The organization's default flags are serialised by a
 * transaction lock, so chunks applied side by side cannot leave two defaults of one kind.
 */
export async function checkDefaultsAndKinds(context: HookContext<AuxiliaryCode>): Promise<void> {
  const upserts = context.upserts();
  if (upserts.length === 0) return;
  if (upserts.some((row) => row.get('Default') === true)) await context.lock(DEFAULT_LOCK);
  const workTypes = await workTypesOf(context, upserts);
  rejectSecondDefaults(upserts, workTypes);
  await rejectKindChangesOfListedCodes(context, workTypes);
}

function rejectSecondDefaults(upserts: readonly CodeRow[], workTypes: WorkTypes): void {
  const claims = new Map<string, CodeRow[]>();
  for (const row of upserts) {
    if (row.get('Default') !== true) continue;
    const kind = kindOf(workTypes, row.get('Work Type'));
    claims.set(kind, [...(claims.get(kind) ?? []), row]);
  }
  for (const [kind, rows] of claims) {
    if (rows.length < 2) continue;
    for (const row of rows) {
      row.reject({
        code: ErrorCode.ConflictingState,
        column: 'Default',
        message: `Default: ${quoteKeys(rows.map((r) => r.keyDisplay))} ${rows.length > 2 ? 'all' : 'both'} claim to be the default ${kindWord(kind)} code, but a kind has one default; write TRUE on one of these rows only`,
      });
    }
  }
}

async function rejectKindChangesOfListedCodes(
  context: HookContext<AuxiliaryCode>,
  workTypes: WorkTypes,
): Promise<void> {
  const moving = context
    .updates()
    .filter(
      (row) =>
        kindOf(workTypes, row.existing.get('Work Type')) !==
        kindOf(workTypes, row.get('Work Type')),
    );
  await context.rejectWhileReferenced<AgentProfile>(
    'agent-profile',
    moving,
    { through: ['Wrap Up Codes', 'Idle Codes'] },
    (row, profiles) => {
      const from = kindOf(workTypes, row.existing.get('Work Type'));
      const to = workTypes.get(row.get('Work Type')!)!;
      const toType = to.get('Type') ?? '';
      const toWord = kindWord(toType);
      const many = profiles.count > 1;
      return {
        code: ErrorCode.InUse,
        column: 'Work Type',
        message: `Work Type: ${quote(to.keyDisplay)} is ${article(toType)} ${toType} work type, which would make the code ${article(toWord)} ${toWord} code, but agent profile${many ? 's' : ''} ${quoteKeys(profiles.keys, profiles.count)} list${many ? '' : 's'} it as ${article(kindWord(from))} ${kindWord(from)} code; remove it from those profiles first or keep ${article(from)} ${from} work type`,
      };
    },
  );
}

/**
 * objects.md §4, after the chunk is written: a code marked default takes the flag from the previous
 * default of its kind. The checks before the write hold the organization's default lock, so the
 * defaults read here are all there are.
 */
export async function moveDefaultFlag(context: HookContext<AuxiliaryCode>): Promise<void> {
  const holders = context.upserts().filter((row) => row.get('Default') === true && row.id);
  if (holders.length === 0) return;
  const holderIds = new Set(holders.map((row) => row.id));
  const others = (await context.recordsWhere('Default', true)).filter((c) => !holderIds.has(c.id));
  if (others.length === 0) return;
  const workTypes = await context.records<WorkType>('work-type', [
    ...holders.map((row) => row.get('Work Type')!),
    ...others.map((code) => code.get('Work Type')!),
  ]);
  const claimed = new Set(holders.map((row) => kindOf(workTypes, row.get('Work Type'))));
  const replaced = others.filter((code) => claimed.has(kindOf(workTypes, code.get('Work Type'))));
  await context.update(
    replaced.map((code) => code.id),
    'Default',
    false,
  );
}
