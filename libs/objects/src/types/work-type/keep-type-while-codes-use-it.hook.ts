import { ErrorCode } from '@bulkops/contracts';
import type { AuxiliaryCode } from '../auxiliary-code/auxiliary-code.object';
import { quoteKeys, type HookContext } from '../declaration-kit';
import type { WorkType } from './work-type.object';

/**
 * objects.md §3: a work type's Type is the kind of its auxiliary codes, so it cannot change while a
 * code uses the work type (agent profiles list those codes as idle or wrap-up codes). One query
 * for the whole chunk finds the codes of the work types whose Type the chunk changes.
 */
export async function keepTypeWhileCodesUseIt(context: HookContext<WorkType>): Promise<void> {
  const changes = context.updates().filter((row) => row.existing.get('Type') !== row.get('Type'));
  if (changes.length === 0) return;
  const codes = await context.referrers<AuxiliaryCode>(
    'auxiliary-code',
    changes.map((row) => row.id),
    { through: ['Work Type'] },
  );
  for (const row of changes) {
    const used = codes.get(row.id);
    if (!used) continue;
    const many = used.count > 1;
    row.reject({
      code: ErrorCode.ImmutableField,
      column: 'Type',
      message: `Type: cannot change while auxiliary code${many ? 's' : ''} ${quoteKeys(used.keys, used.count)} use${many ? '' : 's'} the work type (it is stored as '${row.existing.get('Type')}', the row says '${row.get('Type')}'); move those codes to another work type first or keep the Type`,
    });
  }
}
