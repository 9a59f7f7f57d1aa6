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
  await context.rejectWhileReferenced<AuxiliaryCode>(
    'auxiliary-code',
    changes,
    { through: ['Work Type'] },
    (row, codes) => {
      const many = codes.count > 1;
      return {
        code: ErrorCode.ImmutableField,
        column: 'Type',
        message: `Type: cannot change while auxiliary code${many ? 's' : ''} ${quoteKeys(codes.keys, codes.count)} use${many ? '' : 's'} the work type (it is stored as '${row.existing.get('Type')}', the row says '${row.get('Type')}'); move those codes to another work type first or keep the Type`,
      };
    },
  );
}
