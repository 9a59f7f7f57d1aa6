import { useEffect, useState } from 'preact/hooks';
import { getJson } from './api';
import type { ObjectTypeView } from './types';

let cached: Promise<ObjectTypeView[]> | null = null;

/** The object types (`GET /v1/objects`), read once per page load. */
export function useObjectTypes(): ObjectTypeView[] {
  const [types, setTypes] = useState<ObjectTypeView[]>([]);
  useEffect(() => {
    cached ??= getJson<ObjectTypeView[]>('/v1/objects').then((t) => t ?? []);
    cached.then(setTypes).catch(() => {
      cached = null;
    });
  }, []);
  return types;
}
