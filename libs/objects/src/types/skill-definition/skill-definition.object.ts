import {
  column,
  defineObject,
  description,
  enumeration,
  integer,
  list,
  name,
  NameSets,
  when,
} from '../declaration-kit';

/** Skill Definition (objects.md §5): a skill and the kind of value it takes. */
export const skillDefinition = defineObject({
  type: 'skill-definition',
  label: 'Skill Definition',
  table: 'skill_definition',
  key: ['Name'],
  columns: [
    column('Name', name(NameSets.skillDefinition), {
      required: true,
      description: 'Skill name, unique in the organization; starts with a letter.',
    }),
    column('Description', description, { description: 'Free text, up to 255 characters.' }),
    column('Service Level Threshold', integer(0, 604_800, 'seconds'), {
      required: true,
      description: 'Seconds within which contacts needing this skill should be answered.',
    }),
    column('Type', enumeration(['PROFICIENCY', 'BOOLEAN', 'TEXT', 'ENUM']), {
      required: true,
      immutable: true,
      description:
        'What values profiles grant: PROFICIENCY 0-10, BOOLEAN, TEXT or one of the ENUM values.',
    }),
    column('Enum Values', list(name(NameSets.basic), { min: 1, max: 100 }), {
      requiredWhen: when('Type').is('ENUM'),
      onlyWhen: when('Type').is('ENUM'),
      aliases: ['List Values For Enum'],
      description: "The values of an ENUM skill, separated by '|'; empty for other types.",
    }),
  ],
});

/** The skill definition declaration's type, which hooks name skills and their columns by. */
export type SkillDefinition = typeof skillDefinition;
