import { ErrorCode } from '@bulkops/contracts';
import { compareText, type HookContext } from '../declaration-kit';
import type { SkillProfile } from '../skill-profile/skill-profile.object';
import type { SkillDefinition } from './skill-definition.object';

/**
 * objects.md §5: on update, an ENUM value that a skill profile still grants may not be dropped.
 * One query for the whole chunk finds the granted values of the updated skills.
 */
export async function keepGrantedEnumValues(context: HookContext<SkillDefinition>): Promise<void> {
  const updates = context.updates().filter((row) => row.existing.get('Type') === 'ENUM');
  if (updates.length === 0) return;
  const grants = await context.referrersByDetail<SkillProfile>(
    'skill-profile',
    updates.map((row) => row.id),
    { through: ['Skills'] },
  );
  for (const row of updates) {
    const kept = new Set((row.get('Enum Values') ?? []).map((v) => v.toLowerCase()));
    const dropped = [...(grants.get(row.id) ?? [])]
      .filter(([value]) => !kept.has(value.toLowerCase()))
      .sort(([a], [b]) => compareText(a, b));
    if (dropped.length === 0) continue;
    const parts = dropped.map(([value, profiles]) => {
      const more = profiles.count - profiles.keys.length;
      const names = profiles.keys.map((p) => `'${p}'`).join(', ');
      return `'${value}' (skill profile ${names}${more > 0 ? ` and ${more} more` : ''})`;
    });
    row.reject({
      code: ErrorCode.InUse,
      column: 'Enum Values',
      message: `Enum Values: ${parts.join(', ')} ${dropped.length > 1 ? 'are' : 'is'} still granted; remove ${dropped.length > 1 ? 'them' : 'it'} from those profiles first or keep the value`,
    });
  }
}
