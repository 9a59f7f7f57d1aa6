import {
  agentDn,
  column,
  defineObject,
  enumeration,
  externalName,
  integer,
  name,
  NameSets,
  reference,
  when,
} from '../declaration-kit';

const agentTeam = when('Type').is('AGENT');
const capacityTeam = when('Type').is('CAPACITY');

/**
 * Team (objects.md §11). Its key is Site + Name, so other objects write team references as
 * `Site/Team`. Column order follows the header Webex writes in its team export.
 */
export const team = defineObject({
  type: 'team',
  label: 'Team',
  table: 'team',
  key: ['Site', 'Name'],
  columns: [
    column('Name', name(NameSets.team), {
      required: true,
      description: 'Team name, unique within its site.',
    }),
    column('Site', reference('site'), {
      required: true,
      description: 'The site the team belongs to; part of the key, so it cannot change.',
    }),
    column('Type', enumeration(['AGENT', 'CAPACITY']), {
      required: true,
      immutable: true,
      description: 'AGENT teams have agents; CAPACITY teams send contacts to a number.',
    }),
    column('Multimedia Profile', externalName, {
      onlyWhen: agentTeam,
      description: 'Multimedia profile of the team (AGENT teams only).',
    }),
    column('Skill Profile', reference('skill-profile'), {
      onlyWhen: agentTeam,
      description: 'Skill profile of the team (AGENT teams only).',
    }),
    column('DN', agentDn, {
      requiredWhen: capacityTeam,
      onlyWhen: capacityTeam,
      description: 'Number the contacts of a CAPACITY team are sent to.',
    }),
    column('Capacity', integer(1, 1000), {
      requiredWhen: capacityTeam,
      onlyWhen: capacityTeam,
      description: 'Simultaneous contacts a CAPACITY team takes, 1-1000.',
    }),
    column('Desktop Layout', externalName, {
      onlyWhen: agentTeam,
      description:
        "Desktop layout of the team (AGENT teams only); empty means the organization's global layout.",
    }),
  ],
});
