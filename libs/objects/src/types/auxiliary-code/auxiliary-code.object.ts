import {
  boolean,
  column,
  defineObject,
  description,
  name,
  NameSets,
  reference,
} from '../declaration-kit';

/**
 * Auxiliary Code (objects.md §4): an idle or wrap-up reason. Its kind is its work type's Type; one
 * name space for both kinds.
 */
export const auxiliaryCode = defineObject({
  type: 'auxiliary-code',
  label: 'Auxiliary Code',
  table: 'auxiliary_code',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.auxiliaryCode), {
      required: true,
      description: 'Code name, unique in the organization across idle and wrap-up codes.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Default', boolean, {
      default: false,
      field: 'isDefault',
      description:
        'TRUE makes this the default code of its kind (idle or wrap-up); the previous default of that kind stops being one.',
    }),
    column('Work Type', reference('work-type'), {
      required: true,
      description: "The code's work type; its Type makes the code an idle or a wrap-up code.",
    }),
  ],
});

/** The auxiliary code declaration's type, which hooks name auxiliary codes and their columns by. */
export type AuxiliaryCode = typeof auxiliaryCode;
