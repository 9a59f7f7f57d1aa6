import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { ChangeView, Page } from '@bulkops/contracts';
import { createCsvWriter, safeCells } from '@bulkops/csv';
import { JobChangeRepository, type JobEntity, type RecordedChange } from '@bulkops/database';
import { keysetPage } from '../paging/keyset-page';
import { changeCursor } from './change-cursor';
import { CHANGE_CSV_HEADER, changeCsvLines, changeView } from './change-lines';

/**
 * What a job changed, or for a validate job what an apply of its upload would change (spec/api.md
 * `GET /v1/jobs/{id}/changes`), from the change records the worker wrote with each chunk: JSON pages
 * or one CSV streamed from a cursor, both in the order the rows were applied.
 */
@Injectable()
export class JobChangesService {
  constructor(private readonly changes: JobChangeRepository) {}

  /** `teams.zip` → `teams-changes.csv`. */
  fileName(job: JobEntity): string {
    return `${job.fileName.replace(/\.[^.]*$/, '') || job.object}-changes.csv`;
  }

  async page(job: JobEntity, limit: number, cursor: string | undefined): Promise<Page<ChangeView>> {
    const after = cursor ? changeCursor.decode(cursor) : null;
    const rows = await this.changes.page(job.organizationId, job.id, limit + 1, after);
    const { page, nextCursor } = keysetPage(rows, limit, (last) => changeCursor.encode(last));
    return { items: page.map(changeView), nextCursor };
  }

  /** The CSV: header, then the lines of each change; a job that changed nothing gets the header alone. */
  async writeCsv(job: JobEntity, output: Writable): Promise<void> {
    const csv = createCsvWriter();
    csv.write([...CHANGE_CSV_HEADER]);
    const { rows, release } = await this.changes.stream(job.organizationId, job.id);
    try {
      const toLines = new Transform({
        objectMode: true,
        transform(change: RecordedChange, _encoding, callback) {
          // Values, keys and file names are the uploader's: every cell is neutralised.
          for (const line of changeCsvLines(changeView(change))) this.push(safeCells(line));
          callback();
        },
      });
      await pipeline(rows, toLines, csv, output);
    } finally {
      await release();
    }
  }
}
