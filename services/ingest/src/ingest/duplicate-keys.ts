import { ErrorCode } from '@bulkops/contracts';
import type { ChunkRepository, JobEntity } from '@bulkops/database';
import { targetNoun, type ObjectDeclaration, type RowProblem } from '@bulkops/objects';

const REPORTED_KEYS = 100_000;

/**
 * Rejects every row whose key appears on more than one row of the job, naming the other rows
 * (objects.md §1.8: all copies are rejected rather than guessing which one was meant).
 */
export async function markDuplicateKeys(
  chunks: ChunkRepository,
  job: Pick<JobEntity, 'organizationId' | 'id'>,
  declaration: ObjectDeclaration,
  files: readonly { name: string }[],
): Promise<void> {
  const duplicates = await chunks.findDuplicateKeys(job.organizationId, job.id, REPORTED_KEYS);
  const bySeq = new Map<number, Record<string, RowProblem>>();
  const keyLabel = declaration.key.join(' + ');
  const noun = targetNoun(declaration.type);
  const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
  for (const duplicate of duplicates) {
    const first = duplicate.places[0];
    const written = declaration.keyColumns
      .map((c) => (first.cells[c.index] ?? '').trim())
      .join('/');
    for (const place of duplicate.places) {
      const others = duplicate.places.filter((p) => p !== place);
      const lines = others
        .filter((p) => !p.source)
        .map((p) =>
          p.fileOrdinal === place.fileOrdinal
            ? `row ${p.line}`
            : `row ${p.line} of ${files[p.fileOrdinal]?.name ?? 'another file'}`,
        );
      // A row of a media zip says itself where it is (a zip entry, a manifest line).
      const sources = others.flatMap((p) => (p.source ? [p.source.where] : []));
      const where = [...(lines.length > 0 ? [`on ${lines.join(', ')}`] : []), ...sources].join(
        ', ',
      );
      const problem: RowProblem = {
        code: ErrorCode.DuplicateKey,
        column: keyLabel,
        message: `${keyLabel}: '${written}' is also ${where}; ${article} ${noun} may appear on one row of a job only, so keep one of these rows`,
      };
      const rejections = bySeq.get(place.seq) ?? {};
      rejections[String(place.index)] = problem;
      bySeq.set(place.seq, rejections);
    }
  }
  for (const [seq, rejections] of bySeq) {
    await chunks.addRejections(job.organizationId, job.id, seq, rejections);
  }
}
