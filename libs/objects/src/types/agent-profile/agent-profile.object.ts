import {
  allOrSpecificAccess,
  boolean,
  column,
  defineObject,
  description,
  emptyOrSameAs,
  enumeration,
  externalName,
  integer,
  list,
  name,
  NameSets,
  reference,
  referenceList,
  specificAccess,
  when,
} from '../declaration-kit';

const autoWrapUp = when('Wrap Up Type').is('AUTO');
const outdialEnabled = when('Outdial Enabled').isTrue();
const dialPlanEnabled = when('Dial Plan Enabled').isTrue();
const validationCriteria = when('DN Validation').is('VALIDATION_CRITERIA');

/**
 * Agent Profile (objects.md §13), also called Desktop Profile: agent desktop permissions and
 * behaviour. A profile with a Parent Site is for the users of that site only.
 */
export const agentProfile = defineObject({
  type: 'agent-profile',
  label: 'Agent Profile',
  table: 'agent_profile',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.agentProfile), {
      required: true,
      description: 'Agent profile name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Parent Site', reference('site'), {
      description: 'The site whose users may use the profile; empty for the whole organization.',
    }),
    column('Screen Popups', boolean, {
      default: true,
      description: 'Show screen pops to agents (default TRUE).',
    }),
    column('Last Agent Routing', boolean, {
      default: false,
      description: 'Route returning customers to their last agent (default FALSE).',
    }),
    column('Wrap Up Type', enumeration(['MANUAL', 'AUTO']), {
      default: 'MANUAL',
      description:
        'MANUAL (default): agents end wrap-up themselves; AUTO: wrap-up ends after Auto Wrap Up Time.',
    }),
    column('Auto Wrap Up Time', integer(1, 1800, 'seconds'), {
      requiredWhen: autoWrapUp,
      onlyWhen: autoWrapUp,
      description: 'Seconds of automatic wrap-up, 1-1800; only with Wrap Up Type AUTO.',
    }),
    column('Allow Auto Wrap Up Extension', boolean, {
      default: false,
      onlyWhen: autoWrapUp,
      description:
        'Agents may extend automatic wrap-up (default FALSE); only with Wrap Up Type AUTO.',
    }),
    column('Agent Available After Outdial', boolean, {
      default: false,
      description: 'Agents become available after an outdial call (default FALSE).',
    }),
    ...specificAccess('Wrap Up Codes Access', 'Wrap Up Codes', referenceList('auxiliary-code'), {
      kind: allOrSpecificAccess,
      accessDescription: 'Which wrap-up codes agents may use: ALL (default) or SPECIFIC.',
      listDescription:
        "Wrap-up code names separated by '|'; only with Wrap Up Codes Access SPECIFIC.",
    }),
    ...specificAccess('Idle Codes Access', 'Idle Codes', referenceList('auxiliary-code'), {
      kind: allOrSpecificAccess,
      accessDescription: 'Which idle codes agents may use: ALL (default) or SPECIFIC.',
      listDescription: "Idle code names separated by '|'; only with Idle Codes Access SPECIFIC.",
    }),
    ...specificAccess('Entry Point Access', 'Entry Points', referenceList('entry-point'), {
      accessDescription:
        'Entry points agents may transfer or consult to: ALL (default), SPECIFIC or NONE.',
      listDescription: "Entry point names separated by '|'; only with Entry Point Access SPECIFIC.",
    }),
    ...specificAccess('Queue Access', 'Queues', referenceList('queue'), {
      accessDescription:
        'Queues agents may transfer or consult to: ALL (default), SPECIFIC or NONE.',
      listDescription: "Queue names separated by '|'; only with Queue Access SPECIFIC.",
    }),
    ...specificAccess('Buddy Team Access', 'Buddy Teams', referenceList('team'), {
      accessDescription: 'Teams whose agents show as buddies: ALL (default), SPECIFIC or NONE.',
      listDescription:
        "Team references (Site/Team, or a name only one site uses) separated by '|'; only with Buddy Team Access SPECIFIC.",
    }),
    column('Consult To Queue', boolean, {
      default: true,
      description: 'Agents may consult to a queue (default TRUE).',
    }),
    column('Outdial Enabled', boolean, {
      default: false,
      description: 'Agents may make outbound calls (default FALSE).',
    }),
    column('Outdial Entry Point', reference('outdial-entry-point'), {
      requiredWhen: outdialEnabled,
      onlyWhen: outdialEnabled,
      description:
        'The outdial entry point of outbound calls; required when Outdial Enabled is TRUE, empty otherwise.',
    }),
    column('Outdial ANI', reference('outdial-ani'), {
      onlyWhen: outdialEnabled,
      description: 'The caller-ID list agents choose from; empty when Outdial Enabled is FALSE.',
    }),
    column(
      'Address Book',
      reference('address-book', emptyOrSameAs('parentSite', 'Parent Site', 'site')),
      {
        description:
          "Speed-dial book of the agents; its Parent Site must be empty or this profile's Parent Site.",
      },
    ),
    column('Dial Plan Enabled', boolean, {
      default: false,
      description: 'Outbound numbers go through dial plans (default FALSE).',
    }),
    column('Dial Plans', list(externalName), {
      requiredWhen: dialPlanEnabled,
      onlyWhen: dialPlanEnabled,
      description:
        "Dial plan names separated by '|' (managed outside bulkops); required when Dial Plan Enabled is TRUE.",
    }),
    column(
      'DN Validation',
      enumeration(['UNRESTRICTED', 'PROVISIONED_VALUE', 'VALIDATION_CRITERIA']),
      {
        default: 'UNRESTRICTED',
        description:
          'How agent-entered numbers are checked: UNRESTRICTED (default), PROVISIONED_VALUE or VALIDATION_CRITERIA.',
      },
    ),
    column('Validation Criteria', list(externalName), {
      requiredWhen: validationCriteria,
      onlyWhen: validationCriteria,
      description:
        "Validation criteria names separated by '|' (managed outside bulkops); only with DN Validation VALIDATION_CRITERIA.",
    }),
    column('Agent Statistics', boolean, {
      default: true,
      description: 'Agents see their own statistics (default TRUE).',
    }),
    ...specificAccess('Queue Statistics Access', 'Statistics Queues', referenceList('queue'), {
      accessDescription: 'Queues whose statistics agents see: ALL (default), SPECIFIC or NONE.',
      listDescription: "Queue names separated by '|'; only with Queue Statistics Access SPECIFIC.",
    }),
    column('Logged In Team Statistics', boolean, {
      default: true,
      description: "Agents see their logged-in team's statistics (default TRUE).",
    }),
    ...specificAccess('Team Statistics Access', 'Statistics Teams', referenceList('team'), {
      accessDescription: 'Teams whose statistics agents see: ALL (default), SPECIFIC or NONE.',
      listDescription:
        "Team references (Site/Team, or a name only one site uses) separated by '|'; only with Team Statistics Access SPECIFIC.",
    }),
  ],
});

/** The agent profile declaration's type, which hooks name agent profiles and their columns by. */
export type AgentProfile = typeof agentProfile;
