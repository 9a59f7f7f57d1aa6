import { ErrorCode } from '@bulkops/contracts';
import type { ChunkRepository, DuplicatePlace, JobEntity } from '@bulkops/database';
import { targetNoun, type ObjectDeclaration, type RowProblem } from '@bulkops/objects';

/** Other rows a message names; the rest are a count ("and 4,997 more"). */
const NAMED = 3;

/** Rejections kept in memory before they are written to their chunks. */
const BATCH = 5000;

/** How one key's messages are written: its places so far and what every message shares. */
interface KeyGroup {
  key: string;
  copies: number;
  /** The key's first NAMED + 1 places: every message names (up to) NAMED of them besides itself. */
  leaders: DuplicatePlace[];
  /** The key as the first row wrote it, e.g. `Austin/Sales`. */
  written: string;
}

/** Rejections of rows, by chunk and position, written to their chunks in batches. */
class RejectionBatch {
  private bySeq = new Map<number, Record<string, RowProblem>>();
  private size = 0;

  constructor(
    private readonly chunks: ChunkRepository,
    private readonly job: Pick<JobEntity, 'organizationId' | 'id'>,
  ) {}

  async add(place: DuplicatePlace, problem: RowProblem): Promise<void> {
    const rejections = this.bySeq.get(place.seq) ?? {};
    rejections[String(place.index)] = problem;
    this.bySeq.set(place.seq, rejections);
    this.size += 1;
    if (this.size >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    const bySeq = this.bySeq;
    this.bySeq = new Map();
    this.size = 0;
    for (const [seq, rejections] of bySeq) {
      await this.chunks.addRejections(this.job.organizationId, this.job.id, seq, rejections);
    }
  }
}

/**
 * Rejects every row of the declaration's type whose key appears on more than one row of that type in the job (objects.md §1.8: all copies
 * are rejected rather than guessing which one was meant). Each message names at most three of the
 * other rows and counts the rest, so messages stay short and the work stays linear however many
 * copies a key has; places stream from Postgres in key order and rejections are written in
 * batches, so memory stays bounded too.
 */
export async function markDuplicateKeys(
  chunks: ChunkRepository,
  job: Pick<JobEntity, 'organizationId' | 'id'>,
  declaration: ObjectDeclaration,
  files: readonly { name: string }[],
): Promise<void> {
  if (!(await chunks.hasDuplicateKeys(job.organizationId, job.id, declaration.type))) return;
  const keyLabel = declaration.key.join(' + ');
  const noun = targetNoun(declaration.type);
  const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
  const batch = new RejectionBatch(chunks, job);

  const where = (place: DuplicatePlace, other: DuplicatePlace): string => {
    // A row of a media zip says itself where it is (a zip entry, a manifest line).
    if (other.source) return other.source.where;
    return other.fileOrdinal === place.fileOrdinal
      ? `row ${other.line}`
      : `row ${other.line} of ${files[other.fileOrdinal]?.name ?? 'another file'}`;
  };
  const reject = async (group: KeyGroup, place: DuplicatePlace) => {
    const named = group.leaders.filter((p) => p.nth !== place.nth).slice(0, NAMED);
    const lines = named.filter((p) => !p.source).map((p) => where(place, p));
    const sources = named.filter((p) => p.source).map((p) => where(place, p));
    const more = group.copies - 1 - named.length;
    const others = [...(lines.length > 0 ? [`on ${lines.join(', ')}`] : []), ...sources].join(', ');
    await batch.add(place, {
      code: ErrorCode.DuplicateKey,
      column: keyLabel,
      message: `${keyLabel}: '${group.written}' is also ${others}${more > 0 ? ` and ${more.toLocaleString('en-US')} more` : ''}; ${article} ${noun} may appear on one row of a job only, so keep one of these rows`,
    });
  };
  const rejectLeaders = async (group: KeyGroup) => {
    for (const leader of group.leaders) await reject(group, leader);
  };

  const { places, release } = await chunks.streamDuplicateKeys(
    job.organizationId,
    job.id,
    declaration.type,
    NAMED + 1,
  );
  let group = null as KeyGroup | null;
  try {
    for await (const place of places) {
      if (group?.key !== place.key) {
        // A key with at most NAMED + 1 copies is complete only when the next key begins.
        if (group && group.leaders.length < NAMED + 1) await rejectLeaders(group);
        const cells = place.cells ?? [];
        group = {
          key: place.key,
          copies: place.copies,
          leaders: [],
          written: declaration.keyColumns.map((c) => (cells[c.index] ?? '').trim()).join('/'),
        };
      }
      if (place.nth <= NAMED + 1) {
        group.leaders.push(place);
        if (group.leaders.length === NAMED + 1) await rejectLeaders(group);
      } else {
        await reject(group, place);
      }
    }
    if (group && group.leaders.length < NAMED + 1) await rejectLeaders(group);
  } finally {
    await release();
  }
  await batch.flush();
}
