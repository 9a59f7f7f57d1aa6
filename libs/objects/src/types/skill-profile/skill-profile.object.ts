import { column, defineObject, description, name, NameSets } from '../declaration-kit';
import { skillGrants } from './skill-grants.kind';

/** Skill Profile (objects.md §6): a set of skill values assignable to teams and users. */
export const skillProfile = defineObject({
  type: 'skill-profile',
  label: 'Skill Profile',
  table: 'skill_profile',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.skillProfile), {
      required: true,
      description: 'Skill profile name, unique in the organization.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Skills', skillGrants, {
      required: true,
      description:
        "Skill:Value pairs separated by '|': PROFICIENCY 0-10, BOOLEAN TRUE/FALSE, TEXT, or one of an ENUM skill's values (an ENUM skill may repeat).",
    }),
  ],
});

/** The skill profile declaration's type, which hooks name skill profiles and their columns by. */
export type SkillProfile = typeof skillProfile;
