import { ErrorCode } from '@bulkops/contracts';
import { type HookContext, quoteKeys } from '../declaration-kit';

interface Stranded {
  profile_id: string;
  users: string[];
  count: number;
}

/**
 * objects.md §13/§14: a profile with a Parent Site is for that site's users only. Users are checked
 * when they are written; this keeps the rule when the profile's Parent Site changes afterwards,
 * with one query for the chunk.
 */
export async function keepUsersOnParentSite(context: HookContext): Promise<void> {
  const moved = context.rows.filter(
    (row) =>
      row.action === 'upsert' &&
      !row.rejected &&
      row.existing &&
      row.values['parentSite'] !== null &&
      row.values['parentSite'] !== row.existing['parentSite'],
  );
  if (moved.length === 0) return;
  const stranded = await context.query<Stranded>(
    `SELECT p.id AS profile_id, (array_agg(u.key_display ORDER BY u.key_norm))[1:5] AS users, count(*)::int AS count
       FROM unnest($2::uuid[], $3::uuid[]) AS p(id, site_id)
       JOIN "user" u ON u.organization_id = $1 AND u.agent_profile_id = p.id AND u.site_id IS DISTINCT FROM p.site_id
      GROUP BY p.id`,
    [context.orgId, moved.map((row) => row.id), moved.map((row) => row.values['parentSite'])],
  );
  const byProfile = new Map(stranded.map((s) => [s.profile_id, s]));
  for (const row of moved) {
    const found = byProfile.get(row.id!);
    if (!found) continue;
    const many = found.count > 1;
    row.reject({
      code: ErrorCode.InUse,
      column: 'Parent Site',
      message: `Parent Site: user${many ? 's' : ''} ${quoteKeys(found.users, found.count)} of another site use${many ? '' : 's'} this agent profile; give ${many ? 'them' : 'that user'} another agent profile first, or leave Parent Site empty`,
    });
  }
}
