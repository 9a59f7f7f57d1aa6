import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const WORKSPACE = join(__dirname, '..', '..');
const OBSERVABILITY = join(WORKSPACE, 'deploy', 'observability');

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string; runbook: string };
}

const rules = (
  parse(readFileSync(join(OBSERVABILITY, 'prometheus-rules.yaml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  }
).groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(
  readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8'),
) as { uid: string; panels: { id: number; title: string; targets: { expr: string }[] }[] };
const operations = readFileSync(join(WORKSPACE, 'docs', 'operations.md'), 'utf8');

/**
 * Every `bulkops_*` metric the code registers through `Metrics` (names are string literals,
 * STYLE §3); other `bulkops_*` strings (a NOTIFY channel, a cookie) are not metrics.
 */
function registeredMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'dist'].includes(entry.name)) walk(path);
      } else if (entry.name.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(entry.name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /\.(?:counter|gauge|histogram)\(\s*'(bulkops_[a-z_]+)'/g,
        ))
          names.add(match[1]);
      }
    }
  };
  for (const root of ['libs', 'services']) walk(join(WORKSPACE, root));
  return names;
}

/** The metric names a PromQL expression reads, without histogram suffixes. */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\b(bulkops_[a-z_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, ''));

describe('the alert rules and the dashboard', () => {
  const registered = registeredMetrics();

  it('cover a stuck job, a growing backlog, failing chunks and the reaper acting', () => {
    expect(rules.map((r) => r.alert)).toEqual([
      'BulkopsJobStuck',
      'BulkopsQueueBacklogGrowing',
      'BulkopsChunksFailing',
      'BulkopsReaperFailedJobs',
      'BulkopsReaperResending',
    ]);
    for (const rule of rules) {
      expect(rule.labels.severity).toMatch(/^(critical|warning|info)$/);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook).toBe('docs/operations.md#alerts');
    }
  });

  it('give every rule exactly one one-line runbook entry in docs/operations.md', () => {
    for (const rule of rules) {
      const entries = operations
        .split('\n')
        .filter((line) => line.startsWith(`- **${rule.alert}**: `));
      expect({ alert: rule.alert, entries: entries.length }).toEqual({
        alert: rule.alert,
        entries: 1,
      });
    }
  });

  it('read only metrics the services register, and the dashboard shows every one of them', () => {
    expect(registered.size).toBeGreaterThanOrEqual(13);
    const read = [
      ...rules.map((r) => r.expr),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ].flatMap(metricsIn);
    expect([...new Set(read)].filter((name) => !registered.has(name))).toEqual([]);
    expect([...registered].filter((name) => !read.includes(name))).toEqual([]);
  });

  it('are explained metric by metric in the operations guide', () => {
    expect([...registered].filter((name) => !operations.includes(`\`${name}`))).toEqual([]);
  });

  it('is a dashboard with unique panel ids and a query in every panel', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) expect(panel.targets.length).toBeGreaterThan(0);
  });
});
