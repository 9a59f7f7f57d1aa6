import {
  boolean,
  callDistribution,
  column,
  defineObject,
  description,
  integer,
  name,
  NameSets,
  reference,
  timezone,
  when,
} from '../declaration-kit';

const pauseEnabled = when('Pause or Resume Enabled').isTrue();

/** Outdial Queue (objects.md §10): the queue of outbound calls; its channel is always telephony. */
export const outdialQueue = defineObject({
  type: 'outdial-queue',
  label: 'Outdial Queue',
  table: 'outdial_queue',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.queue), {
      required: true,
      description: 'Outdial queue name, unique among outdial queues; starts with a letter.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Service Level Threshold', integer(0, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds within which calls should be connected, 0-604800.',
    }),
    column('Max Time In Queue', integer(1, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds a call may wait before it leaves the queue, 1-604800.',
    }),
    column('Timezone', timezone, {
      description: 'IANA time zone of the queue, e.g. America/New_York.',
    }),
    column('Permit Monitoring', boolean, {
      default: true,
      description: 'Supervisors may monitor calls (default TRUE).',
    }),
    column('Permit Recording', boolean, {
      default: true,
      description: 'Calls may be recorded (default TRUE).',
    }),
    column('Record All Calls', boolean, {
      default: false,
      description: 'Every call is recorded (default FALSE).',
    }),
    column('Pause or Resume Enabled', boolean, {
      default: false,
      description: 'Agents may pause and resume recordings (default FALSE).',
    }),
    column('Recording Pause Duration', integer(1, 300, 'seconds'), {
      requiredWhen: pauseEnabled,
      onlyWhen: pauseEnabled,
      description:
        'Seconds a recording may stay paused, 1-300; only when Pause or Resume Enabled is TRUE.',
    }),
    column('Default Music in Queue', reference('audio-file'), {
      description: 'Audio file callers hear while waiting.',
    }),
    column('Call Distribution', callDistribution, {
      description:
        "Team groups for campaign calls, separated by ';', teams separated by '|'; each group after the first starts with its waiting seconds, e.g. Austin/Sales;60:Denver/Sales.",
    }),
  ],
});
