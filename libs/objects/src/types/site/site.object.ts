import { column, defineObject, externalName, name, NameSets } from '../declaration-kit';

/** Site (objects.md §2): a physical or logical location; teams belong to a site. */
export const site = defineObject({
  type: 'site',
  label: 'Site',
  table: 'site',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.site), {
      required: true,
      description: 'Site name, unique in the organization.',
    }),
    column('Multimedia Profile', externalName, {
      required: true,
      description: 'Name of the multimedia profile the site uses (managed outside bulkops).',
    }),
  ],
});
