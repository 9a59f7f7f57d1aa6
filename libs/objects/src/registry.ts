import { BulkopsError, ErrorCode } from '@bulkops/contracts';
import type { ObjectDeclaration } from './define-object';
import { quote } from './row-problem';
import { addressBook } from './types/address-book/address-book.object';
import { agentProfileHooks } from './types/agent-profile/agent-profile.hooks';
import { agentProfile } from './types/agent-profile/agent-profile.object';
import { audioFile } from './types/audio-file/audio-file.object';
import { auxiliaryCodeHooks } from './types/auxiliary-code/auxiliary-code.hooks';
import { auxiliaryCode } from './types/auxiliary-code/auxiliary-code.object';
import { dnMapping } from './types/dn-mapping/dn-mapping.object';
import { entryPoint } from './types/entry-point/entry-point.object';
import { outdialAni } from './types/outdial-ani/outdial-ani.object';
import { outdialEntryPoint } from './types/outdial-entry-point/outdial-entry-point.object';
import { outdialQueue } from './types/outdial-queue/outdial-queue.object';
import { queue } from './types/queue/queue.object';
import { site } from './types/site/site.object';
import { skillDefinitionHooks } from './types/skill-definition/skill-definition.hooks';
import { skillDefinition } from './types/skill-definition/skill-definition.object';
import { skillProfile } from './types/skill-profile/skill-profile.object';
import { team } from './types/team/team.object';
import { user } from './types/user/user.object';
import { userProfile } from './types/user-profile/user-profile.object';
import { workTypeHooks } from './types/work-type/work-type.hooks';
import { workType } from './types/work-type/work-type.object';

/**
 * Every object type, in the import order of objects.md §19.2 (each after what it references).
 * `GET /v1/objects` lists them in this order; `registry.spec.ts` checks the order is valid. Hooks
 * are attached here rather than in the declarations: they read other types by their declarations'
 * types, so a declaration that imported its hooks would, through them, import itself.
 */
export const OBJECT_TYPES: readonly ObjectDeclaration[] = [
  site,
  workType.withHooks(workTypeHooks),
  skillDefinition.withHooks(skillDefinitionHooks),
  audioFile,
  outdialAni,
  auxiliaryCode.withHooks(auxiliaryCodeHooks),
  skillProfile,
  addressBook,
  team,
  entryPoint,
  dnMapping,
  queue,
  outdialQueue,
  outdialEntryPoint,
  userProfile,
  agentProfile.withHooks(agentProfileHooks),
  user,
];

const BY_TYPE = new Map(OBJECT_TYPES.map((declaration) => [declaration.type, declaration]));

/** The declaration of a type, or undefined. */
export function findObject(type: string): ObjectDeclaration | undefined {
  return BY_TYPE.get(type);
}

/** The declaration of a type; an unknown type is the client's error `UNKNOWN_OBJECT_TYPE`. */
export function getObject(type: string): ObjectDeclaration {
  const declaration = BY_TYPE.get(type);
  if (!declaration) {
    throw new BulkopsError(
      ErrorCode.UnknownObjectType,
      `${quote(type)} is not an object type; use one of ${OBJECT_TYPES.map((d) => d.type).join(', ')}`,
    );
  }
  return declaration;
}

/** Every declaration whose columns reference `type`: who can block its deletion. */
export function referrersOf(
  type: string,
): { declaration: ObjectDeclaration; columns: ObjectDeclaration['columns'] }[] {
  return OBJECT_TYPES.map((declaration) => ({
    declaration,
    columns: declaration.referenceColumns.filter((c) => c.kind.reference!.target === type),
  })).filter((entry) => entry.columns.length > 0);
}
