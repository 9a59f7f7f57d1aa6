import {
  column,
  defineObject,
  description,
  externalName,
  integer,
  name,
  NameSets,
  reference,
  timezone,
} from '../declaration-kit';

/** Outdial Entry Point (objects.md §8): the entry point agents use for outbound calls; always telephony. */
export const outdialEntryPoint = defineObject({
  type: 'outdial-entry-point',
  label: 'Outdial Entry Point',
  table: 'outdial_entry_point',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.entryPoint), {
      required: true,
      description:
        'Outdial entry point name, unique among outdial entry points; starts with a letter.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Service Level Threshold', integer(0, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds within which calls should be connected, 0-604800.',
    }),
    column('Timezone', timezone, {
      required: true,
      description: 'IANA time zone of the entry point, e.g. America/New_York.',
    }),
    column('Outdial Queue', reference('outdial-queue'), {
      description: 'The outdial queue its calls go through.',
    }),
    column('Flow', externalName, {
      description: 'Name of the outbound flow (managed outside bulkops).',
    }),
  ],
});
