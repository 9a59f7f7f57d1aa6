import { createWriteStream, openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import { JobStatus, type ChangeView, type JobView, type Page } from '@bulkops/contracts';
import { ApiClient, ApiError } from './api-client';
import { cancelOutcome } from './cancel-outcome';
import { jobsTable } from './jobs-table';
import { waitForJob } from './wait-for-job';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function summary(job: JobView): string {
  const c = job.counts;
  const failure = job.failure ? ` — ${job.failure.code}: ${job.failure.message}` : '';
  return `${job.id} ${job.object} ${job.statusLabel}: ${c.processed}/${c.total} rows, ${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.failed} failed${failure}`;
}

/** Saves a download under the name the server suggests (or `-o`), and says where. */
async function download(
  response: Response,
  output: string | undefined,
  fallback: string,
): Promise<void> {
  const suggested = /filename="([^"]+)"/.exec(
    response.headers.get('content-disposition') ?? '',
  )?.[1];
  const file = output ?? suggested ?? fallback;
  await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(file));
  say(`wrote ${file}`);
}

const EXIT_CODE: Partial<Record<JobStatus, number>> = {
  [JobStatus.Completed]: 0,
  [JobStatus.CompletedWithErrors]: 2,
  [JobStatus.Failed]: 1,
  [JobStatus.Cancelled]: 3,
};

/** `bulkops import|jobs|job|cancel|undo|errors|changes|apply|template|export|export-all`: the API client (BULKOPS_URL, BULKOPS_TOKEN). */
export function addApiCommands(program: Command): void {
  const client = () => new ApiClient();

  program
    .command('import')
    .description('upload a CSV (or zip) of one object type; --wait follows the job to its end')
    .argument('<type>', 'object type, e.g. team')
    .argument('<file>', '.csv or .zip file')
    .option('--validate', 'check everything, change nothing')
    .option('--wait', 'wait for the job to finish; exit 0 completed, 2 with errors, 1 failed')
    .option('--idempotency-key <key>', 'a retry with the same key answers the same job')
    .action(
      async (
        type: string,
        file: string,
        options: { validate?: boolean; wait?: boolean; idempotencyKey?: string },
      ) => {
        const form = new FormData();
        form.append('object', type);
        form.append('mode', options.validate ? 'validate' : 'apply');
        form.append('file', await openAsBlob(file), basename(file));
        const headers: Record<string, string> = options.idempotencyKey
          ? { 'idempotency-key': options.idempotencyKey }
          : {};
        const job = await client().json<JobView>('POST', '/v1/jobs', form, headers);
        if (!options.wait) {
          say(summary(job));
          return;
        }
        const done = await waitForJob(client(), job);
        say(summary(done));
        if (done.counts.failed > 0) say(`rejected rows: bulkops errors ${done.id}`);
        process.exitCode = EXIT_CODE[done.status] ?? 1;
      },
    );

  program
    .command('jobs')
    .description(
      "list the organization's jobs, most recent first, as the dashboard does (Job ID, File Name, Object, Status, Submitted By, Submitted At in local time)",
    )
    .option('--status <status>', 'only jobs in this status, e.g. COMPLETED_WITH_ERRORS')
    .option('--object <type>', 'only jobs of this object type')
    .option('--limit <n>', 'how many (1-200)', '20')
    .option('--cursor <cursor>', 'the next page (printed under a full page)')
    .action(
      async (options: { status?: string; object?: string; limit: string; cursor?: string }) => {
        const filters = {
          ...(options.status ? { status: options.status } : {}),
          ...(options.object ? { object: options.object } : {}),
        };
        const query = new URLSearchParams({
          limit: options.limit,
          ...filters,
          ...(options.cursor ? { cursor: options.cursor } : {}),
        });
        const page = await client().json<Page<JobView>>('GET', `/v1/jobs?${query.toString()}`);
        if (page.items.length === 0) {
          say('no jobs');
          return;
        }
        jobsTable(page.items).forEach(say);
        if (page.nextCursor) {
          const again = Object.entries({ ...filters, limit: options.limit })
            .map(([name, value]) => `--${name} ${value}`)
            .join(' ');
          say(`more: bulkops jobs ${again} --cursor ${page.nextCursor}`);
        }
      },
    );

  program
    .command('cancel')
    .description(
      'stop an active job (admin): rows applied stay applied, the rest go to its error file',
    )
    .argument('<id>')
    .action(async (id: string) => {
      const answer = await client()
        .json<JobView>('POST', `/v1/jobs/${encodeURIComponent(id)}/cancel`)
        .catch((error: unknown) => {
          if (error instanceof ApiError) return error;
          throw error;
        });
      const outcome = cancelOutcome(id, answer);
      if (outcome.exitCode === 0) say(outcome.line);
      else process.stderr.write(`${outcome.line}\n`);
      process.exitCode = outcome.exitCode;
    });

  program
    .command('undo')
    .description(
      "take back the organization's latest finished apply job (admin): a new job restores the state before it; objects changed since are left alone and listed in its error file",
    )
    .argument('<jobId>')
    .option(
      '--wait',
      'wait for the undo to finish; exit 0 completed, 2 with rows left alone, 1 failed',
    )
    .action(async (jobId: string, options: { wait?: boolean }) => {
      const job = await client().json<JobView>(
        'POST',
        `/v1/jobs/${encodeURIComponent(jobId)}/undo`,
      );
      if (!options.wait) {
        say(summary(job));
        return;
      }
      const done = await waitForJob(client(), job);
      say(summary(done));
      if (done.counts.failed > 0) say(`rows left alone: bulkops errors ${done.id}`);
      process.exitCode = EXIT_CODE[done.status] ?? 1;
    });

  program
    .command('job')
    .description('show one job as JSON')
    .argument('<id>')
    .action(async (id: string) =>
      say(JSON.stringify(await client().json<JobView>('GET', `/v1/jobs/${id}`), null, 2)),
    );

  program
    .command('errors')
    .description("download a job's rejected rows as a CSV you can fix and upload again")
    .argument('<id>')
    .option('-o, --output <file>', 'where to write it')
    .action(async (id: string, options: { output?: string }) =>
      download(
        await client().request('GET', `/v1/jobs/${id}/errors`),
        options.output,
        `${id}-errors.csv`,
      ),
    );

  program
    .command('changes')
    .description(
      'what a job changed, or for a validate job what applying its upload would change: the CSV on stdout (or -o), or with --json one change per line',
    )
    .argument('<id>')
    .option('--json', 'one JSON change per line, every page')
    .option('-o, --output <file>', 'write the CSV to this file')
    .action(async (id: string, options: { json?: boolean; output?: string }) => {
      const path = `/v1/jobs/${encodeURIComponent(id)}/changes`;
      if (!options.json) {
        const response = await client().request('GET', path);
        if (options.output) return download(response, options.output, `${id}-changes.csv`);
        await pipeline(Readable.fromWeb(response.body as WebReadableStream), process.stdout);
        return;
      }
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
        const page: Page<ChangeView> = await client().json<Page<ChangeView>>(
          'GET',
          `${path}?${query.toString()}`,
          undefined,
          { accept: 'application/json' },
        );
        page.items.forEach((change) => say(JSON.stringify(change)));
        cursor = page.nextCursor;
      } while (cursor);
    });

  program
    .command('apply')
    .description(
      'apply the upload of a finished validate job (admin): a new apply job over the same file; --wait follows it',
    )
    .argument('<id>', 'the validate job')
    .option('--wait', 'wait for the job to finish; exit 0 completed, 2 with errors, 1 failed')
    .action(async (id: string, options: { wait?: boolean }) => {
      const job = await client().json<JobView>('POST', `/v1/jobs/${encodeURIComponent(id)}/apply`);
      if (!options.wait) {
        say(summary(job));
        return;
      }
      const done = await waitForJob(client(), job);
      say(summary(done));
      if (done.counts.failed > 0) say(`rejected rows: bulkops errors ${done.id}`);
      process.exitCode = EXIT_CODE[done.status] ?? 1;
    });

  program
    .command('template')
    .description('download the blank template of an object type')
    .argument('<type>')
    .option('-o, --output <file>', 'where to write it')
    .action(async (type: string, options: { output?: string }) =>
      download(
        await client().request('GET', `/v1/objects/${type}/template`),
        options.output,
        `${type}-template.csv`,
      ),
    );

  program
    .command('export')
    .description("download the organization's records of an object type (a zip past 5000)")
    .argument('<type>')
    .option('-o, --output <file>', 'where to write it')
    .action(async (type: string, options: { output?: string }) =>
      download(
        await client().request('GET', `/v1/objects/${type}/export`),
        options.output,
        `${type}.csv`,
      ),
    );

  program
    .command('export-all')
    .description(
      "download the organization's whole configuration as one bundle zip (every type, audio included), streamed to disk",
    )
    .option('-o, --out <file>', 'where to write it')
    .action(async (options: { out?: string }) =>
      download(await client().request('GET', '/v1/export'), options.out, 'bulkops-export.zip'),
    );
}
