import type { ObjectHooks } from '../declaration-kit';
import type { AuxiliaryCode } from './auxiliary-code.object';
import { checkDefaultsAndKinds, moveDefaultFlag } from './default-and-kind.hook';

/** The rules of auxiliary codes that span objects (objects.md §4), attached in the registry. */
export const auxiliaryCodeHooks: ObjectHooks<AuxiliaryCode> = {
  beforeWrite: checkDefaultsAndKinds,
  afterWrite: moveDefaultFlag,
};
