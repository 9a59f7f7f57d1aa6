import {
  column,
  defineObject,
  description,
  name,
  NameSets,
  pairs,
  phoneNumber,
  reference,
} from '../declaration-kit';

/** Address Book (objects.md §15): speed-dial numbers offered to agents, organization-wide or for one site. */
export const addressBook = defineObject({
  type: 'address-book',
  label: 'Address Book',
  table: 'address_book',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.basic), {
      required: true,
      description: 'Address book name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Parent Site', reference('site'), {
      immutable: true,
      description:
        'The site whose agent profiles may use the book; empty for the whole organization. Fixed once created.',
    }),
    column(
      'Entries',
      pairs(name(NameSets.basic), phoneNumber, {
        keyLabel: 'Entry Name',
        valueLabel: 'Phone Number',
        max: 1000,
      }),
      {
        description:
          "Up to 1000 Entry Name:Phone Number items separated by '|'; numbers use digits, '(', ')', '+' and '-'. The order is kept.",
      },
    ),
  ],
});
