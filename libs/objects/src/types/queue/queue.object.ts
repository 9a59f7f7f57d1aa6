import {
  boolean,
  callDistribution,
  channelType,
  column,
  defineObject,
  description,
  enumeration,
  integer,
  name,
  NameSets,
  reference,
  socialChannelType,
  timezone,
  when,
} from '../declaration-kit';

const telephony = when('Channel Type').is('TELEPHONY');
const socialChannel = when('Channel Type').is('SOCIAL_CHANNEL');
const skillsBased = when('Routing Type').is('SKILLS_BASED');
// Pause or Resume Enabled is telephony only, so on other channels this is false too.
const pauseEnabled = when('Pause or Resume Enabled').isTrue();

/**
 * Queue (objects.md §9): an inbound contact service queue. The recording and music columns are
 * telephony only: they must be empty on other channels, and their defaults apply to telephony
 * queues only.
 */
export const queue = defineObject({
  type: 'queue',
  label: 'Queue',
  table: 'queue',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.queue), {
      required: true,
      description: 'Queue name, unique among queues; starts with a letter.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Channel Type', channelType, {
      required: true,
      immutable: true,
      description: 'TELEPHONY, CHAT, EMAIL or SOCIAL_CHANNEL; fixed once created.',
    }),
    column('Social Channel Type', socialChannelType, {
      requiredWhen: socialChannel,
      onlyWhen: socialChannel,
      description:
        'SMS, MESSENGER, WHATSAPP, APPLE_BUSINESS_CHAT or GOOGLE_BUSINESS_MESSAGES; SOCIAL_CHANNEL queues only.',
    }),
    column('Service Level Threshold', integer(0, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds within which contacts should be answered, 0-604800.',
    }),
    column('Max Time In Queue', integer(1, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds a contact may wait before it leaves the queue, 1-604800.',
    }),
    column('Timezone', timezone, {
      description: 'IANA time zone of the queue, e.g. America/New_York.',
    }),
    column('Permit Monitoring', boolean, {
      default: true,
      onlyWhen: telephony,
      description: 'Supervisors may monitor calls (TELEPHONY only; default TRUE).',
    }),
    column('Permit Recording', boolean, {
      default: true,
      onlyWhen: telephony,
      description: 'Calls may be recorded (TELEPHONY only; default TRUE).',
    }),
    column('Record All Calls', boolean, {
      default: false,
      onlyWhen: telephony,
      trueOnlyWhen: when('Permit Recording').isTrue(),
      description:
        'Every call is recorded (TELEPHONY only; default FALSE); TRUE needs Permit Recording TRUE.',
    }),
    column('Pause or Resume Enabled', boolean, {
      default: false,
      onlyWhen: telephony,
      description: 'Agents may pause and resume recordings (TELEPHONY only; default FALSE).',
    }),
    column('Recording Pause Duration', integer(1, 300, 'seconds'), {
      requiredWhen: pauseEnabled,
      onlyWhen: pauseEnabled,
      description:
        'Seconds a recording may stay paused, 1-300; only when Pause or Resume Enabled is TRUE.',
    }),
    column('Default Music in Queue', reference('audio-file'), {
      onlyWhen: telephony,
      description: 'Audio file callers hear while waiting (TELEPHONY only).',
    }),
    column('Routing Type', enumeration(['LONGEST_AVAILABLE_AGENT', 'SKILLS_BASED']), {
      default: 'LONGEST_AVAILABLE_AGENT',
      immutable: true,
      description: 'LONGEST_AVAILABLE_AGENT (default) or SKILLS_BASED; fixed once created.',
    }),
    column(
      'Skill-Based Agent Selection',
      enumeration(['LONGEST_AVAILABLE_AGENT', 'BEST_AVAILABLE_AGENT']),
      {
        requiredWhen: skillsBased,
        onlyWhen: skillsBased,
        description:
          'How a SKILLS_BASED queue picks among matching agents: LONGEST_AVAILABLE_AGENT or BEST_AVAILABLE_AGENT.',
      },
    ),
    column('Call Distribution', callDistribution, {
      required: true,
      description:
        "Team groups separated by ';', teams separated by '|'; each group after the first starts with the seconds a contact waits before it, e.g. Austin/Sales;60:Denver/Sales.",
    }),
  ],
});
