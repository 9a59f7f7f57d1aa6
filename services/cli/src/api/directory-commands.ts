import { openAsBlob } from 'node:fs';
import type { Command } from 'commander';
import { JobStatus, type JobView, type ObjectTypeView } from '@bulkops/contracts';
import { ApiClient } from './api-client';
import { zipBundle } from './bundle-directory';
import { streamedForm } from './streamed-form';
import { deletionOf, directoryUploads, zipFolder, type DirectoryFile } from './upload-directory';
import { waitForJob } from './wait-for-job';

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function submitAndWait(
  client: ApiClient,
  type: string,
  name: string,
  file: Blob,
): Promise<JobView> {
  const form = new FormData();
  form.append('object', type);
  form.append('file', file, name);
  return waitForJob(client, await client.json<JobView>('POST', '/v1/jobs', form));
}

/** Uploads a file as it is, or a media folder as the zip of its files. */
async function submitUpload(client: ApiClient, file: DirectoryFile): Promise<JobView> {
  if (!file.folder)
    return submitAndWait(client, file.type.type, file.name, await openAsBlob(file.path));
  const zip = await zipFolder(file);
  try {
    return await submitAndWait(client, file.type.type, zip.name, await openAsBlob(zip.path));
  } finally {
    await zip.remove();
  }
}

/** Uploads the deletion of what a file (or folder) created. */
async function submitDeletion(client: ApiClient, file: DirectoryFile): Promise<JobView> {
  const upload = await deletionOf(file);
  return submitAndWait(client, file.type.type, upload.name, new Blob([upload.content]));
}

function countsText(c: JobView['counts']): string {
  return `${c.created} created, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged, ${c.failed} failed`;
}

function outcome(name: string, job: JobView): string {
  const failure = job.failure ? ` — ${job.failure.code}: ${job.failure.message}` : '';
  return `${name.padEnd(28)} ${job.object.padEnd(20)} ${job.statusLabel.padEnd(22)} ${countsText(job.counts)}${failure}`;
}

/** Exit 2 when rows were rejected, 1 when the job did not run to its end, 0 when it completed. */
function exitCodeOf(job: JobView): number {
  if (job.status === JobStatus.Completed) return 0;
  return job.status === JobStatus.CompletedWithErrors ? 2 : 1;
}

/**
 * Uploads a directory as one bundle job (spec/api.md "Bundles"), zipped while it is sent: the server applies its types in
 * dependency order, checks every file before applying any, and answers per type in `sections`.
 * Prints one line per type (its files, type and counts) and then the job's.
 */
async function importBundle(client: ApiClient, files: readonly DirectoryFile[]): Promise<void> {
  const form = streamedForm({ object: 'bundle' }, 'bundle.zip', await zipBundle(files));
  const job = await waitForJob(client, await client.json<JobView>('POST', '/v1/jobs', form));
  for (const section of job.sections ?? []) {
    const names = section.files.map((f) => f.name).join(',');
    say(`${names.padEnd(28)} ${section.object.padEnd(20)} ${countsText(section.counts)}`);
  }
  say(outcome(`bundle of ${files.length} files`, job));
  if (job.counts.failed > 0) say(`rejected rows: bulkops errors ${job.id}`);
  process.exitCode = exitCodeOf(job);
}

/**
 * `bulkops import-dir` and `bulkops delete-dir`: a whole configuration as one directory of files
 * (an extracted organization export included: parts `user-001.csv`, the folder `audio-file/`),
 * applied in dependency order (objects.md §19.2) or torn down in the reverse order. import-dir
 * sends the directory as one bundle job; with --per-type, and for delete-dir, each file is its own
 * job, awaited before the next starts since the next may reference what it created, and the first
 * job that does not complete stops the run (exit 2 with rejected rows, 1 otherwise).
 */
export function addDirectoryCommands(program: Command): void {
  const run = async (dir: string, deleting: boolean, perType = true) => {
    const client = new ApiClient();
    const types = await client.json<ObjectTypeView[]>('GET', '/v1/objects');
    const files = await directoryUploads(dir, types);
    if (files.length === 0)
      throw new Error(`${dir} holds no <type>.csv or <type>.zip files, nor a media type's folder`);
    if (!deleting && !perType) return importBundle(client, files);
    for (const file of deleting ? [...files].reverse() : files) {
      const job = deleting ? await submitDeletion(client, file) : await submitUpload(client, file);
      say(outcome(file.name, job));
      if (job.status !== JobStatus.Completed) {
        if (job.counts.failed > 0) say(`rejected rows: bulkops errors ${job.id}`);
        process.exitCode = exitCodeOf(job);
        return;
      }
    }
    say(`${deleting ? 'deleted' : 'imported'} ${files.length} files`);
  };

  program
    .command('import-dir')
    .description(
      'import every <type>.csv / <type>.zip (and media folder) of a directory as one bundle job, applied in dependency order',
    )
    .argument('<dir>')
    .option('--per-type', 'one job per file instead, in dependency order, one after another')
    .action((dir: string, options: { perType?: boolean }) =>
      run(dir, false, options.perType === true),
    );

  program
    .command('delete-dir')
    .description(
      'delete the objects a directory describes (its keys with Action DELETE), in reverse dependency order',
    )
    .argument('<dir>')
    .action((dir: string) => run(dir, true));
}
