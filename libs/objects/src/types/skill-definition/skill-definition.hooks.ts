import type { ObjectHooks } from '../declaration-kit';
import { keepGrantedEnumValues } from './keep-granted-enum-values.hook';
import type { SkillDefinition } from './skill-definition.object';

/** The rules of skill definitions that span objects (objects.md §5), attached in the registry. */
export const skillDefinitionHooks: ObjectHooks<SkillDefinition> = {
  beforeWrite: keepGrantedEnumValues,
};
