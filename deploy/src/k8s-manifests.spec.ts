import 'reflect-metadata';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as kubernetes from 'kubernetes-models';
import * as keda from '@kubernetes-models/keda';
import {
  DatabaseEnv,
  envName,
  HttpEnv,
  loadEnv,
  ShutdownEnv,
  type EnvClass,
} from '@bulkops/config';
import { applyQueueName, INGEST_QUEUE } from '@bulkops/contracts';
import { OBJECT_TYPES } from '@bulkops/objects';
import type { ServiceDefinition } from '@bulkops/observability';
// The manifests are checked against what each service really reads: its own definition.
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { gatewayService } from '../../services/gateway/src/gateway.service';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { ingestService } from '../../services/ingest/src/ingest.service';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { statusService } from '../../services/status/src/status.service';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { WorkerEnv } from '../../services/worker/src/worker.env';
// eslint-disable-next-line @nx/enforce-module-boundaries, no-restricted-imports
import { workerService } from '../../services/worker/src/worker.service';
import {
  containersOf,
  kustomizationsUnder,
  render,
  yamlFilesUnder,
  type Manifest,
} from './kustomize';

const ROOT = join(__dirname, '..', 'k8s');
const DOCKERFILE = readFileSync(join(__dirname, '..', 'docker', 'Dockerfile'), 'utf8');
const SERVICES: Record<string, ServiceDefinition> = {
  gateway: gatewayService,
  ingest: ingestService,
  worker: workerService,
  status: statusService,
};
// Read by the image and the runtime rather than by a service's env classes.
const IMAGE_VARIABLES = ['SERVICE', 'NODE_OPTIONS'];

const variablesOf = (classes: readonly EnvClass[]) =>
  new Set(classes.flatMap((envClass) => Object.keys(new envClass()).map(envName)));

/** What a container may set: the variables its program reads. */
function readBy(command: string | undefined, service: string | undefined): Set<string> {
  if (command?.includes('migrate.main.js')) return variablesOf([DatabaseEnv]);
  const definition = SERVICES[service ?? ''];
  if (!definition) throw new Error(`no bulkops service '${service}'`);
  return new Set([
    ...variablesOf([HttpEnv, ShutdownEnv, ...definition.envClasses]),
    ...IMAGE_VARIABLES,
  ]);
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
  };
}
interface Container {
  name: string;
  image: string;
  command?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  volumes?: { name: string; emptyDir?: object }[];
}

const podSpecOf = (m: Manifest) =>
  (m['spec'] as { template: { spec: PodSpec; metadata?: { labels?: Record<string, string> } } })
    .template;
const isBulkops = (image: string) => /(^|\/)bulkops(:[\w.-]+)?$/.test(image);
const kustomizations = kustomizationsUnder(ROOT);

type Models = Record<
  string,
  Record<string, Record<string, new (m: unknown) => { validate(): void }>>
>;

/** The model class that validates a manifest's kind, from the Kubernetes or the KEDA schemas. */
function modelOf(manifest: Manifest): (new (m: unknown) => { validate(): void }) | undefined {
  const [group, version] = manifest.apiVersion.includes('/')
    ? manifest.apiVersion.split('/')
    : ['', manifest.apiVersion];
  // `networking.k8s.io` → `networkingK8sIo`; the core group is `v1` itself.
  const key = group.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase());
  const models = (group === 'keda.sh' ? keda : kubernetes) as unknown as Models;
  return group
    ? models[key]?.[version]?.[manifest.kind]
    : (models[version]?.[manifest.kind] as never);
}

describe.each(kustomizations.map((dir) => [relative(ROOT, dir), dir]))(
  'the Kubernetes manifests of %s',
  (_name, directory) => {
    const { manifests } = render(directory);
    const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
    const find = (kind: string, name: string) =>
      manifests.find((m) => m.kind === kind && m.metadata.name === name);
    const dataOf = (kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> => {
      const found = find(kind, name);
      if (!found) throw new Error(`${kind} ${name} is referenced but not part of the render`);
      return (found['data'] ?? found['stringData'] ?? {}) as Record<string, string>;
    };
    const workloads = [...byKind('Deployment'), ...byKind('Job')];
    const bulkopsContainers = workloads.flatMap((w) =>
      [...(podSpecOf(w).spec.initContainers ?? []), ...podSpecOf(w).spec.containers]
        .filter((c) => isBulkops(c.image))
        .map((container) => ({ workload: w, container })),
    );
    const envOf = (container: Container): Map<string, string | null> => {
      const env = new Map<string, string | null>();
      for (const source of container.envFrom ?? []) {
        const data = source.configMapRef
          ? dataOf('ConfigMap', source.configMapRef.name)
          : dataOf('Secret', source.secretRef!.name);
        for (const [key, value] of Object.entries(data)) env.set(key, value);
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
        if (ref) {
          const data = dataOf(variable.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap', ref.name);
          expect(Object.keys(data)).toContain(ref.key);
          env.set(variable.name, null);
        } else env.set(variable.name, variable.value ?? '');
      }
      return env;
    };

    it('validates every object against the Kubernetes and KEDA schemas', () => {
      expect(manifests.length).toBeGreaterThan(0);
      for (const manifest of manifests) {
        const Model = modelOf(manifest);
        if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
        expect(() => new Model(manifest).validate()).not.toThrow();
      }
    });

    it('sets only environment variables the service reads, from ConfigMaps and Secrets that exist', () => {
      expect(bulkopsContainers.length).toBeGreaterThan(0);
      for (const { container } of bulkopsContainers) {
        const env = envOf(container);
        const allowed = readBy(container.command?.join(' '), env.get('SERVICE') ?? undefined);
        const unread = [...env.keys()].filter((name) => !allowed.has(name));
        expect({ container: container.name, unread }).toEqual({
          container: container.name,
          unread: [],
        });
        expect(env.has('DATABASE_URL')).toBe(true);
      }
    });

    it('runs each service from the one image on its own port, with probes, limits and a hardened container', () => {
      expect(DOCKERFILE).toMatch(/^ARG SERVICE=/m);
      expect(DOCKERFILE).toMatch(/services\/\$\{SERVICE\}\/dist\/main\.js/);
      expect(DOCKERFILE).toMatch(/^USER node$/m);
      for (const deployment of byKind('Deployment')) {
        const pod = podSpecOf(deployment).spec;
        const main = pod.containers.find((c) => isBulkops(c.image));
        if (!main) continue;
        const env = envOf(main);
        const service = env.get('SERVICE')!;
        const definition = SERVICES[service];
        expect(definition).toBeDefined();
        expect(main.ports).toEqual([{ name: 'http', containerPort: definition.defaultPort }]);
        expect(env.get('PORT')).toBe(String(definition.defaultPort));
        expect(main.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
        expect(main.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
        expect(main.resources?.limits?.['memory']).toBe('512Mi');
        expect(main.resources?.requests?.['memory']).toBeDefined();
        // The image's `node` user is uid 1000.
        expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
        for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
          expect(container.securityContext).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          });
        }
        const tmp = main.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
        expect(pod.initContainers?.map((c) => c.command?.join(' '))).toEqual([
          expect.stringContaining('migrate.main.js --check'),
        ]);
      }
    });

    it('gives each service a termination window longer than its own shutdown bound', () => {
      for (const deployment of byKind('Deployment')) {
        const pod = podSpecOf(deployment).spec;
        const main = pod.containers.find((c) => isBulkops(c.image));
        if (!main) continue;
        const env = envOf(main);
        const graceMs = Number(env.get('SHUTDOWN_GRACE_MS') ?? new ShutdownEnv().shutdownGraceMs);
        const preStop = main.lifecycle?.preStop?.exec?.command;
        const preStopMs = preStop?.[0] === 'sleep' ? Number(preStop[1]) * 1000 : 0;
        expect((pod.terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThanOrEqual(
          preStopMs + graceMs + 5000,
        );
      }
    });

    it('connects Services, disruption budgets, the Ingress and autoscalers to workloads that exist', () => {
      const podLabels = byKind('Deployment').map((d) => podSpecOf(d).metadata?.labels ?? {});
      const selects = (selector: Record<string, string>) =>
        podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
      for (const service of byKind('Service')) {
        const spec = service['spec'] as { selector: Record<string, string> };
        expect({ service: service.metadata.name, selects: selects(spec.selector) }).toEqual({
          service: service.metadata.name,
          selects: true,
        });
      }
      for (const budget of byKind('PodDisruptionBudget')) {
        const spec = budget['spec'] as { selector: { matchLabels: Record<string, string> } };
        expect(selects(spec.selector.matchLabels)).toBe(true);
      }
      for (const ingress of byKind('Ingress')) {
        const spec = ingress['spec'] as {
          rules: {
            http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] };
          }[];
        };
        for (const path of spec.rules.flatMap((r) => r.http.paths)) {
          const backend = find('Service', path.backend.service.name);
          expect(backend).toBeDefined();
          expect(
            (backend!['spec'] as { ports: { name: string }[] }).ports.map((p) => p.name),
          ).toContain(path.backend.service.port.name);
        }
      }
      const scaled = [...byKind('ScaledObject'), ...byKind('HorizontalPodAutoscaler')].map(
        (s) => (s['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name,
      );
      for (const target of scaled) {
        const deployment = find('Deployment', target);
        expect(deployment).toBeDefined();
        // The autoscaler owns the replica count; a fixed one would fight it on every apply.
        expect((deployment!['spec'] as { replicas?: number }).replicas).toBeUndefined();
      }
    });

    it('scales each worker on exactly the apply queues it consumes, and ingest on its queue', () => {
      const prefix = dataOf('ConfigMap', 'bulkops-common')['QUEUE_PREFIX'];
      const workers = byKind('Deployment').filter((d) =>
        podSpecOf(d).spec.containers.some((c) => envOf(c).get('SERVICE') === 'worker'),
      );
      const consumed = workers.flatMap((worker) => {
        const env = envOf(podSpecOf(worker).spec.containers[0]);
        return loadEnv([WorkerEnv], { WORKER_OBJECTS: env.get('WORKER_OBJECTS') ?? undefined })
          .get(WorkerEnv)
          .objectTypes()
          .map((type) => ({ worker: worker.metadata.name, type }));
      });
      // Every object type is applied by exactly one worker Deployment.
      expect(consumed.map((c) => c.type).sort()).toEqual(OBJECT_TYPES.map((d) => d.type).sort());

      for (const scaler of byKind('ScaledObject')) {
        const spec = scaler['spec'] as {
          scaleTargetRef: { name: string };
          triggers: {
            type: string;
            metadata: { listName: string };
            authenticationRef: { name: string };
          }[];
        };
        const target = spec.scaleTargetRef.name;
        const expected = workers.some((w) => w.metadata.name === target)
          ? consumed.filter((c) => c.worker === target).map((c) => applyQueueName(c.type))
          : [INGEST_QUEUE];
        expect(spec.triggers.map((t) => t.metadata.listName).sort()).toEqual(
          expected.map((queue) => `${prefix}:${queue}:wait`).sort(),
        );
        for (const trigger of spec.triggers) {
          expect(trigger.type).toBe('redis');
          const auth = find('TriggerAuthentication', trigger.authenticationRef.name);
          expect(auth).toBeDefined();
          for (const ref of (auth!['spec'] as { secretTargetRef: { name: string; key: string }[] })
            .secretTargetRef)
            expect(Object.keys(dataOf('Secret', ref.name))).toContain(ref.key);
        }
      }
    });
  },
);

describe('the kustomizations', () => {
  it('are the base and the overlays dev, production, keda, worker-groups and hpa', () => {
    expect(kustomizations.map((dir) => relative(ROOT, dir))).toEqual([
      'base',
      'overlays/dev',
      'overlays/hpa',
      'overlays/keda',
      'overlays/production',
      'overlays/worker-groups',
    ]);
  });

  it('leave no YAML file unreferenced', () => {
    const used = new Set(kustomizations.flatMap((dir) => [...render(dir).files]));
    expect(yamlFilesUnder(ROOT).filter((file) => !used.has(file))).toEqual([]);
  });

  it('give dev one replica of everything with MinIO, and production the released image and KEDA', () => {
    const dev = render(join(ROOT, 'overlays/dev')).manifests;
    for (const deployment of dev.filter((m) => m.kind === 'Deployment'))
      expect((deployment['spec'] as { replicas: number }).replicas).toBe(1);
    expect(
      dev.find((m) => m.kind === 'Deployment' && m.metadata.name === 'bulkops-minio'),
    ).toBeDefined();
    const production = render(join(ROOT, 'overlays/production')).manifests;
    const images = production.flatMap(containersOf).map((c) => c.image);
    expect(
      images.filter(isBulkops).every((image) => image === 'registry.example.com/bulkops:0.1.0'),
    ).toBe(true);
    expect(production.filter((m) => m.kind === 'ScaledObject').length).toBeGreaterThanOrEqual(3);
  });

  it('refuse a missing file, a patch that does not apply, a file outside the root and an unknown feature', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'bulkops-kustomize-'));
    const kustomization = (dir: string, body: string, files: Record<string, string> = {}) => {
      mkdirSync(join(scratch, dir), { recursive: true });
      writeFileSync(join(scratch, dir, 'kustomization.yaml'), body);
      for (const [name, content] of Object.entries(files))
        writeFileSync(join(scratch, dir, name), content);
      return () => render(join(scratch, dir));
    };
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  A: x\n';
    try {
      expect(kustomization('missing', 'resources:\n  - nothing.yaml\n')).toThrow(/does not exist/);
      expect(
        kustomization(
          'patch',
          'resources:\n  - c.yaml\npatches:\n  - target:\n      kind: ConfigMap\n      name: c\n    patch: |-\n      - op: test\n        path: /data/A\n        value: y\n',
          { 'c.yaml': configMap },
        ),
      ).toThrow(/expected "y", found "x"/);
      expect(
        kustomization(
          'untargeted',
          'resources:\n  - c.yaml\npatches:\n  - target:\n      kind: ConfigMap\n      name: other\n    patch: "[]"\n',
          { 'c.yaml': configMap },
        ),
      ).toThrow(/no ConfigMap named other/);
      writeFileSync(join(scratch, 'outside.yaml'), configMap);
      expect(kustomization('escape', 'resources:\n  - ../outside.yaml\n')).toThrow(/outside/);
      expect(kustomization('generator', 'configMapGenerator: []\n')).toThrow(
        /unsupported fields configMapGenerator/,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('.env.example', () => {
  it('lists every variable a service reads, each with a comment above it', () => {
    const lines = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8').split('\n');
    const listed = new Map(
      lines.flatMap((line, i) => {
        const name = /^([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
        return name ? [[name, i] as const] : [];
      }),
    );
    const read = Object.values(SERVICES).flatMap((definition) => [
      ...readBy(undefined, definition.name),
    ]);
    const missing = [...new Set(read)].filter(
      (name) => !IMAGE_VARIABLES.includes(name) && !listed.has(name),
    );
    expect(missing).toEqual([]);
    for (const [, index] of listed) {
      const above = lines
        .slice(0, index)
        .reverse()
        .find((line) => !/^[A-Z]/.test(line));
      expect(above).toMatch(/^#/);
    }
  });
});
