import type { ObjectHooks } from '../declaration-kit';
import type { AgentProfile } from './agent-profile.object';
import { keepUsersOnParentSite } from './keep-users-on-parent-site.hook';
import { requireCodeKinds } from './require-code-kinds.hook';

/** The rules of agent profiles that span objects (objects.md §13), attached in the registry. */
export const agentProfileHooks: ObjectHooks<AgentProfile> = {
  async beforeWrite(context) {
    await requireCodeKinds(context);
    await keepUsersOnParentSite(context);
  },
};
