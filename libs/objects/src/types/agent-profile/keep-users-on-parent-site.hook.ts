import { ErrorCode } from '@bulkops/contracts';
import { quoteKeys, type HookContext } from '../declaration-kit';
import type { User } from '../user/user.object';
import type { AgentProfile } from './agent-profile.object';

/**
 * objects.md §13/§14: a profile with a Parent Site is for that site's users only. Users are checked
 * when they are written; this keeps the rule when the profile's Parent Site changes afterwards,
 * with one query for the chunk.
 */
export async function keepUsersOnParentSite(context: HookContext<AgentProfile>): Promise<void> {
  const moved = context
    .updates()
    .filter(
      (row) =>
        row.get('Parent Site') !== null &&
        row.get('Parent Site') !== row.existing.get('Parent Site'),
    );
  const search = {
    through: ['Agent Profile'],
    differing: {
      column: 'Site',
      from: new Map(moved.map((row) => [row.id, row.get('Parent Site')])),
    },
  } as const;
  await context.rejectWhileReferenced<User>('user', moved, search, (_row, users) => {
    const many = users.count > 1;
    return {
      code: ErrorCode.InUse,
      column: 'Parent Site',
      message: `Parent Site: user${many ? 's' : ''} ${quoteKeys(users.keys, users.count)} of another site use${many ? '' : 's'} this agent profile; give ${many ? 'them' : 'that user'} another agent profile first, or leave Parent Site empty`,
    };
  });
}
