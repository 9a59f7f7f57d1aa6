import type { ObjectHooks } from '../declaration-kit';
import { keepTypeWhileCodesUseIt } from './keep-type-while-codes-use-it.hook';
import type { WorkType } from './work-type.object';

/** The rules of work types that span objects (objects.md §3), attached in the registry. */
export const workTypeHooks: ObjectHooks<WorkType> = { beforeWrite: keepTypeWhileCodesUseIt };
