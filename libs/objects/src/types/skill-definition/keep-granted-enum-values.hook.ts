import { ErrorCode } from '@bulkops/contracts';
import { compareText, type HookContext } from '../declaration-kit';

interface Grant {
  skill_id: string;
  value: string;
  profiles: string[];
  profile_count: number;
}

/**
 * objects.md §5: on update, an ENUM value that a skill profile still grants may not be dropped.
 * One query for the whole chunk finds the granted values of the updated skills.
 */
export async function keepGrantedEnumValues(context: HookContext): Promise<void> {
  const updates = context.rows.filter(
    (row) =>
      row.action === 'upsert' && !row.rejected && row.existing && row.existing['type'] === 'ENUM',
  );
  if (updates.length === 0) return;
  const grants = await context.query<Grant>(
    `SELECT g->>'id' AS skill_id, g->>'value' AS value,
            (array_agg(p.key_display ORDER BY p.key_norm))[1:5] AS profiles, count(*)::int AS profile_count
       FROM skill_profile p, jsonb_array_elements(p.skills) g
      WHERE p.organization_id = $1 AND g->>'id' = ANY($2::text[])
      GROUP BY 1, 2`,
    [context.orgId, updates.map((row) => row.id)],
  );
  for (const row of updates) {
    const kept = new Set(
      ((row.values['enumValues'] as string[] | null) ?? []).map((v) => v.toLowerCase()),
    );
    const dropped = grants
      .filter((g) => g.skill_id === row.id && !kept.has(g.value.toLowerCase()))
      .sort((a, b) => compareText(a.value, b.value));
    if (dropped.length === 0) continue;
    const parts = dropped.map((g) => {
      const more = g.profile_count - g.profiles.length;
      const names = g.profiles.map((p) => `'${p}'`).join(', ');
      return `'${g.value}' (skill profile ${names}${more > 0 ? ` and ${more} more` : ''})`;
    });
    row.reject({
      code: ErrorCode.InUse,
      column: 'Enum Values',
      message: `Enum Values: ${parts.join(', ')} ${dropped.length > 1 ? 'are' : 'is'} still granted; remove ${dropped.length > 1 ? 'them' : 'it'} from those profiles first or keep the value`,
    });
  }
}
