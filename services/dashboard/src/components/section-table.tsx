import type { JobSection } from '@bulkops/contracts';
import { count } from '../lib/format';

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
          <th scope="col" class="num">
            Done
          </th>
          <th scope="col" class="num">
            Created
          </th>
          <th scope="col" class="num">
            Updated
          </th>
          <th scope="col" class="num">
            Deleted
          </th>
          <th scope="col" class="num">
            Failed
          </th>
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
            <td class="num">{count(s.counts.created)}</td>
            <td class="num">{count(s.counts.updated)}</td>
            <td class="num">{count(s.counts.deleted)}</td>
            <td class="num">{count(s.counts.failed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
