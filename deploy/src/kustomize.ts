import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** One JSON 6902 operation (the patch format every bulkops kustomization uses). */
interface Operation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  labels?: {
    pairs: Record<string, string>;
    includeSelectors?: boolean;
    includeTemplates?: boolean;
  }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind: string; name: string }; path?: string; patch?: string }[];
}

// The subset of kustomize bulkops uses; anything else fails the render rather than being ignored.
const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'labels',
  'images',
  'patches',
]);

/** Every file a render read, so a test can find YAML files no kustomization references. */
export interface Render {
  manifests: Manifest[];
  files: Set<string>;
}

/**
 * Renders a kustomization directory the way `kustomize build` does, for the features bulkops uses:
 * resources (files and directories), JSON 6902 patches by kind and name (from a file or inline),
 * labels on metadata, images, namespace. Files must lie in or below the kustomization's directory
 * unless they are another kustomization (kustomize's load restrictor), and must exist.
 */
export function render(directory: string): Render {
  const root = resolve(directory);
  const file = join(root, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${root} has no kustomization.yaml`);
  const kustomization = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unknown = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unknown.length > 0) throw new Error(`${file}: unsupported fields ${unknown.join(', ')}`);
  const files = new Set([file]);
  let manifests: Manifest[] = [];
  for (const entry of kustomization.resources ?? []) {
    const path = resolve(root, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource '${entry}' does not exist`);
    if (statSync(path).isDirectory()) {
      const nested = render(path);
      manifests.push(...nested.manifests);
      nested.files.forEach((f) => files.add(f));
    } else {
      within(root, path, file);
      files.add(path);
      manifests.push(...readManifests(path));
    }
  }
  const seen = new Set<string>();
  for (const m of manifests) {
    const id = `${m.kind}/${m.metadata.name}`;
    if (seen.has(id)) throw new Error(`${file}: ${id} is defined twice`);
    seen.add(id);
  }
  for (const patch of kustomization.patches ?? []) {
    let operations: Operation[];
    if (patch.path !== undefined) {
      const path = resolve(root, patch.path);
      if (!existsSync(path)) throw new Error(`${file}: patch '${patch.path}' does not exist`);
      within(root, path, file);
      files.add(path);
      operations = parse(readFileSync(path, 'utf8')) as Operation[];
    } else {
      operations = parse(patch.patch ?? '') as Operation[];
    }
    const targets = manifests.filter(
      (m) => m.kind === patch.target.kind && m.metadata.name === patch.target.name,
    );
    if (targets.length === 0) {
      throw new Error(`${file}: no ${patch.target.kind} named ${patch.target.name} to patch`);
    }
    manifests = manifests.map((m) =>
      targets.includes(m) ? (applyOperations(m, operations, file) as Manifest) : m,
    );
  }
  for (const { pairs, includeSelectors, includeTemplates } of kustomization.labels ?? []) {
    if (includeSelectors || includeTemplates) {
      throw new Error(`${file}: labels with includeSelectors/includeTemplates are not supported`);
    }
    for (const m of manifests) m.metadata.labels = { ...m.metadata.labels, ...pairs };
  }
  for (const image of kustomization.images ?? []) {
    for (const container of manifests.flatMap(containersOf)) {
      const [name, tag] = splitImage(container.image);
      if (name !== image.name) continue;
      container.image = `${image.newName ?? name}${(image.newTag ?? tag) ? `:${image.newTag ?? tag}` : ''}`;
    }
  }
  if (kustomization.namespace) {
    for (const m of manifests) m.metadata.namespace = kustomization.namespace;
  }
  return { manifests, files };
}

function within(root: string, path: string, file: string): void {
  if (relative(root, path).startsWith('..')) {
    throw new Error(`${file}: '${path}' is outside ${root} (kustomize refuses to load it)`);
  }
}

function readManifests(path: string): Manifest[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0].message}`);
      return document.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

/** The containers (init containers included) of a workload's pod template. */
export function containersOf(manifest: Manifest): { name: string; image: string }[] {
  const spec = (manifest['spec'] as { template?: { spec?: Record<string, unknown> } } | undefined)
    ?.template?.spec;
  if (!spec) return [];
  return [
    ...((spec['initContainers'] as { name: string; image: string }[] | undefined) ?? []),
    ...((spec['containers'] as { name: string; image: string }[] | undefined) ?? []),
  ];
}

function splitImage(image: string): [string, string | undefined] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/')
    ? [image.slice(0, at), image.slice(at + 1)]
    : [image, undefined];
}

/** Applies RFC 6902 add/remove/replace/test to a copy of `document`. */
export function applyOperations(document: unknown, operations: Operation[], file: string): unknown {
  const copy = structuredClone(document);
  for (const operation of operations) {
    const keys = operation.path
      .split('/')
      .slice(1)
      .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) throw new Error(`${file}: empty patch path`);
    let parent: unknown = copy;
    for (const key of keys) {
      parent = (parent as Record<string, unknown>)?.[key];
      if (parent === undefined) throw new Error(`${file}: ${operation.path} does not exist`);
    }
    const list = Array.isArray(parent) ? (parent as unknown[]) : null;
    const object = parent as Record<string, unknown>;
    const index = list ? (last === '-' ? list.length : Number(last)) : -1;
    const exists = list ? index < list.length : last in object;
    switch (operation.op) {
      case 'add':
        if (list) list.splice(index, 0, operation.value);
        else object[last] = operation.value;
        break;
      case 'remove':
      case 'replace':
        if (!exists) throw new Error(`${file}: ${operation.op} ${operation.path}: nothing there`);
        if (operation.op === 'remove') {
          if (list) list.splice(index, 1);
          else delete object[last];
        } else if (list) list[index] = operation.value;
        else object[last] = operation.value;
        break;
      case 'test': {
        const actual: unknown = list ? list[index] : object[last];
        if (JSON.stringify(actual) !== JSON.stringify(operation.value)) {
          throw new Error(
            `${file}: test ${operation.path} expected ${JSON.stringify(operation.value)}, found ${JSON.stringify(actual)}`,
          );
        }
        break;
      }
    }
  }
  return copy;
}

/** The kustomization directories under `root` (base and every overlay). */
export function kustomizationsUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    if (existsSync(join(directory, 'kustomization.yaml'))) found.push(directory);
    for (const entry of readdirSync(directory, { withFileTypes: true }))
      if (entry.isDirectory()) walk(join(directory, entry.name));
  };
  walk(root);
  return found.sort();
}

/** Every YAML file under `root`. */
export function yamlFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) found.push(path);
    }
  };
  walk(root);
  return found.sort();
}
