import type { ObjectDeclaration } from './define-object';
import { OBJECT_TYPES } from './registry';
import type { RowAction } from './row-check';

/**
 * The `object` of a job over several types (spec/api.md "Bundles"): not an object type, a layout of
 * the upload. Its zip holds `{type}.csv` / `{type}-{anything}.csv` at the top level and each media
 * type's files in the folder named after it (`audio-file/`), as `GET /v1/export` writes them.
 */
export const BUNDLE = 'bundle';

/** What one entry of a bundle zip is: a CSV of a type, a file of a media type's folder, or neither. */
export type BundleEntry =
  | { kind: 'csv'; declaration: ObjectDeclaration }
  | { kind: 'media'; declaration: ObjectDeclaration; inner: string }
  | { kind: 'refused'; reason: string };

const CSV_TYPES = OBJECT_TYPES.filter((d) => d.file === 'csv');
const MEDIA_TYPES = OBJECT_TYPES.filter((d) => d.file === 'zip');

/**
 * The CSV type a file stem names: `team` or `team-{anything}`; the longest type that fits, so
 * `outdial-queue-001` is an outdial queue part and not an outdial one.
 */
function csvTypeNamed(stem: string): ObjectDeclaration | undefined {
  const lower = stem.toLowerCase();
  return CSV_TYPES.filter((d) => lower === d.type || lower.startsWith(`${d.type}-`)).sort(
    (a, b) => b.type.length - a.type.length,
  )[0];
}

/**
 * Classifies one entry name of a bundle zip ('/'-separated). A refusal says what is wrong and how
 * to fix it, after "contains '<name>': ".
 */
export function bundleEntryOf(name: string): BundleEntry {
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const folder = name.slice(0, slash);
    const inner = name.slice(slash + 1);
    const media = MEDIA_TYPES.find((d) => d.type === folder.toLowerCase());
    if (!media) {
      return {
        kind: 'refused',
        reason: `a bundle may hold only the folder${MEDIA_TYPES.length > 1 ? 's' : ''} ${MEDIA_TYPES.map((d) => `${d.type}/`).join(', ')}; move the file to the top level or remove it`,
      };
    }
    if (inner.includes('/')) {
      return {
        kind: 'refused',
        reason: `${media.type}/ may not hold folders; put its files directly in ${media.type}/`,
      };
    }
    return { kind: 'media', declaration: media, inner };
  }
  const csv = /^(.+)\.csv$/i.exec(name);
  const declaration = csv ? csvTypeNamed(csv[1]) : undefined;
  if (declaration) return { kind: 'csv', declaration };
  const media = MEDIA_TYPES.find((d) => name.toLowerCase().startsWith(d.type));
  if (media) {
    return {
      kind: 'refused',
      reason: `${media.label.toLowerCase()} files go in the folder ${media.type}/ of the bundle; move it there`,
    };
  }
  return {
    kind: 'refused',
    reason: `a bundle's files are named {type}.csv or {type}-{part}.csv, with type one of ${CSV_TYPES.map((d) => d.type).join(', ')}; rename or remove it`,
  };
}

/**
 * When a bundle's rows of a type are applied: creates and updates in dependency order, then
 * deletes in the reverse order (a team is deleted before the site it belongs to). Chunks of a phase
 * are applied only after every chunk of the phases before it.
 */
export function bundlePhase(declaration: ObjectDeclaration, action: RowAction): number {
  const index = OBJECT_TYPES.findIndex((d) => d.type === declaration.type);
  return action === 'delete' ? 2 * OBJECT_TYPES.length - 1 - index : index;
}

/** The position of a type in dependency order (for sorting a bundle's files and sections). */
export function dependencyRank(type: string): number {
  const index = OBJECT_TYPES.findIndex((d) => d.type === type);
  return index < 0 ? OBJECT_TYPES.length : index;
}
