import { column, defineObject, description, enumeration, name, NameSets } from '../declaration-kit';

/**
 * Work Type (objects.md §3): the category of auxiliary codes; its Type decides whether they are
 * idle codes or wrap-up codes.
 */
export const workType = defineObject({
  type: 'work-type',
  label: 'Work Type',
  table: 'work_type',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.basic), {
      required: true,
      description: 'Work type name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Type', enumeration(['IDLE_CODE', 'WRAP_UP_CODE']), {
      required: true,
      description:
        'IDLE_CODE or WRAP_UP_CODE: the kind of the auxiliary codes of this work type; fixed once a code uses it.',
    }),
  ],
});

/** The work type declaration's type, which hooks name work types and their columns by. */
export type WorkType = typeof workType;
