import { ErrorCode } from '@bulkops/contracts';
import { type HookContext, type HookRow, quote, quoteKeys } from '../declaration-kit';

interface WorkTypeKind {
  id: string;
  type: string;
  key_display: string;
}

interface Listing {
  code_id: string;
  profiles: string[];
  count: number;
}

const KIND_WORDS: Record<string, string> = { IDLE_CODE: 'idle', WRAP_UP_CODE: 'wrap-up' };

function kindWord(type: string | undefined): string {
  return KIND_WORDS[type ?? ''] ?? String(type);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/**
 * objects.md §4, before the chunk is written: at most one row per kind may claim the default (two
 * would contradict each other, so both are rejected), and a code listed by an agent profile may not
 * move to a work type of the other kind. The organization's default flags are serialised by a
 * transaction lock, so chunks applied side by side cannot leave two defaults of one kind.
 */
export async function checkDefaultsAndKinds(context: HookContext): Promise<void> {
  const upserts = context.rows.filter((row) => row.action === 'upsert' && !row.rejected);
  if (upserts.length === 0) return;
  if (upserts.some((row) => row.values['isDefault'] === true)) {
    await context.query(
      `SELECT pg_advisory_xact_lock(hashtext('auxiliary_code.is_default'), hashtext($1))`,
      [context.orgId],
    );
  }
  const workTypeIds = new Set<string>();
  for (const row of upserts) {
    workTypeIds.add(row.values['workType'] as string);
    if (row.existing) workTypeIds.add(row.existing['workType'] as string);
  }
  const kinds = new Map(
    (
      await context.query<WorkTypeKind>(
        `SELECT id, type, key_display FROM work_type WHERE organization_id = $1 AND id = ANY($2::uuid[])`,
        [context.orgId, [...workTypeIds]],
      )
    ).map((w) => [w.id, w]),
  );
  rejectSecondDefaults(upserts, kinds);
  await rejectKindChangesOfListedCodes(context, upserts, kinds);
}

function rejectSecondDefaults(
  upserts: readonly HookRow[],
  kinds: ReadonlyMap<string, WorkTypeKind>,
): void {
  const claims = new Map<string, HookRow[]>();
  for (const row of upserts) {
    if (row.values['isDefault'] !== true) continue;
    const kind = kinds.get(row.values['workType'] as string)?.type ?? '';
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
  context: HookContext,
  upserts: readonly HookRow[],
  kinds: ReadonlyMap<string, WorkTypeKind>,
): Promise<void> {
  const moving = upserts.filter(
    (row) =>
      !row.rejected &&
      row.existing &&
      kinds.get(row.existing['workType'] as string)?.type !==
        kinds.get(row.values['workType'] as string)?.type,
  );
  if (moving.length === 0) return;
  const listings = await context.query<Listing>(
    `SELECT c.id AS code_id, (array_agg(p.key_display ORDER BY p.key_norm))[1:5] AS profiles, count(*)::int AS count
       FROM unnest($2::uuid[]) AS c(id)
       JOIN agent_profile p ON p.organization_id = $1 AND (p.wrap_up_codes_ids @> ARRAY[c.id] OR p.idle_codes_ids @> ARRAY[c.id])
      GROUP BY c.id`,
    [context.orgId, moving.map((row) => row.id)],
  );
  const byCode = new Map(listings.map((l) => [l.code_id, l]));
  for (const row of moving) {
    const listing = byCode.get(row.id!);
    if (!listing) continue;
    const from = kinds.get(row.existing!['workType'] as string)!;
    const to = kinds.get(row.values['workType'] as string)!;
    const toWord = kindWord(to.type);
    row.reject({
      code: ErrorCode.InUse,
      column: 'Work Type',
      message: `Work Type: ${quote(to.key_display)} is ${article(to.type)} ${to.type} work type, which would make the code ${article(toWord)} ${toWord} code, but agent profile${listing.count > 1 ? 's' : ''} ${quoteKeys(listing.profiles, listing.count)} list${listing.count > 1 ? '' : 's'} it as ${article(kindWord(from.type))} ${kindWord(from.type)} code; remove it from those profiles first or keep ${article(from.type)} ${from.type} work type`,
    });
  }
}

/**
 * objects.md §4, after the chunk is written: a code marked default takes the flag from the previous
 * default of its kind, in one statement for the whole chunk.
 */
export async function moveDefaultFlag(context: HookContext): Promise<void> {
  const holders = context.rows.filter(
    (row) => row.action === 'upsert' && !row.rejected && row.values['isDefault'] === true && row.id,
  );
  if (holders.length === 0) return;
  await context.query(
    `UPDATE auxiliary_code a SET is_default = false, updated_at = now()
       FROM work_type w, auxiliary_code h, work_type hw
      WHERE a.organization_id = $1 AND a.is_default AND w.id = a.work_type_id
        AND h.id = ANY($2::uuid[]) AND hw.id = h.work_type_id AND hw.type = w.type AND a.id <> h.id`,
    [context.orgId, holders.map((row) => row.id)],
  );
}
