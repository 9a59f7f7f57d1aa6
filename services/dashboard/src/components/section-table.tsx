import type { JobSection } from '@bulkops/contracts';
import { count } from '../lib/format';

/** The ledger counts a section shows after its Done column, in this order. */
const OUTCOMES = ['created', 'updated', 'deleted', 'failed'] as const;

const heading = (outcome: string) => outcome.charAt(0).toUpperCase() + outcome.slice(1);

/**
 * The object types of a bundle job in the order they are applied: files, rows done of total, what
 * they did; the type being applied is marked.
 */
export function SectionTable({
  sections,
  applying,
}: {
  sections: readonly JobSection[];
  applying: string | null | undefined;
}) {
  return (
    <table class="table table--compact" id="sections">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Files</th>
          {['done', ...OUTCOMES].map((outcome) => (
            <th scope="col" class="num" key={outcome}>
              {heading(outcome)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {sections.map((s) => (
          <tr key={s.object} data-section={s.object}>
            <td>
              {s.object}
              {s.object === applying ? ' (applying)' : ''}
            </td>
            <td>{s.files.map((f) => f.name).join(', ')}</td>
            <td class="num">
              {count(s.counts.processed)}/{count(s.counts.total)}
            </td>
            {OUTCOMES.map((outcome) => (
              <td class="num" key={outcome}>
                {count(s.counts[outcome])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
