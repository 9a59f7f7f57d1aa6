import {
  column,
  defineObject,
  description,
  enumeration,
  name,
  NameSets,
  referenceList,
  specificAccess,
} from '../declaration-kit';

/**
 * User Profile (objects.md §12): the administrative permission profile of a user. Module-level
 * permissions follow from Profile Type; the access columns limit which objects the user sees.
 */
export const userProfile = defineObject({
  type: 'user-profile',
  label: 'User Profile',
  table: 'user_profile',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.userProfile), {
      required: true,
      description: 'User profile name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column(
      'Profile Type',
      enumeration([
        'ADMINISTRATOR',
        'ADMINISTRATOR_ONLY',
        'SUPERVISOR',
        'PREMIUM_AGENT',
        'STANDARD_AGENT',
        'ANALYZER_ADMINISTRATOR',
        'ANALYZER_SUPERVISOR',
        'ANALYZER_USER',
      ]),
      {
        required: true,
        description:
          'The permission set the profile grants, e.g. ADMINISTRATOR, SUPERVISOR or STANDARD_AGENT.',
      },
    ),
    ...specificAccess('Entry Point Access', 'Entry Points', referenceList('entry-point'), {
      accessDescription: 'Which entry points the user may see: ALL (default), SPECIFIC or NONE.',
      listDescription: "Entry point names separated by '|'; only with Entry Point Access SPECIFIC.",
    }),
    ...specificAccess('Queue Access', 'Queues', referenceList('queue'), {
      accessDescription: 'Which queues the user may see: ALL (default), SPECIFIC or NONE.',
      listDescription: "Queue names separated by '|'; only with Queue Access SPECIFIC.",
    }),
    ...specificAccess('Site Access', 'Sites', referenceList('site'), {
      accessDescription: 'Which sites the user may see: ALL (default), SPECIFIC or NONE.',
      listDescription: "Site names separated by '|'; only with Site Access SPECIFIC.",
    }),
    ...specificAccess('Team Access', 'Teams', referenceList('team'), {
      accessDescription: 'Which teams the user may see: ALL (default), SPECIFIC or NONE.',
      listDescription:
        "Team references (Site/Team, or a name only one site uses) separated by '|'; only with Team Access SPECIFIC.",
    }),
  ],
});
