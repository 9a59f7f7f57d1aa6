import {
  aniNumber,
  column,
  defineObject,
  description,
  name,
  NameSets,
  pairs,
} from '../declaration-kit';

/** Outdial ANI (objects.md §16): a named list of caller-ID numbers agents may present on outbound calls. */
export const outdialAni = defineObject({
  type: 'outdial-ani',
  label: 'Outdial ANI',
  table: 'outdial_ani',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.basic), {
      required: true,
      description: 'Outdial ANI list name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column(
      'Entries',
      pairs(name(NameSets.basic), aniNumber, {
        keyLabel: 'Entry Name',
        valueLabel: 'Number',
        max: 1000,
      }),
      {
        description:
          "Up to 1000 Entry Name:Number items separated by '|'; a number is '+' and 2-20 digits or a sip: URI. The first entry is the default ANI; the order is kept.",
      },
    ),
  ],
});
