import { DownloadButton } from '../components/download-button';
import { Choice } from '../components/choice';
import { Notice } from '../components/notice';
import { Pager } from '../components/pager';
import { href } from '../lib/router';
import type { RecordView } from '../lib/types';
import { useCursorPages } from '../lib/use-cursor-pages';
import { useObjectTypes } from '../lib/use-objects';

/** Objects: per type, the organization's records in pages, and an export of them all. */
export function ObjectsPage({ type: typeName }: { type: string | null }) {
  const types = useObjectTypes();
  const type = types.find((t) => t.type === typeName) ?? null;
  const { page, problem, cursors, setCursors } = useCursorPages<RecordView>(
    typeName ? `/v1/objects/${encodeURIComponent(typeName)}/records` : null,
    'records',
  );

  return (
    <section aria-labelledby="objects-title">
      <h1 id="objects-title">Objects</h1>
      <Choice
        id="objects-type"
        label="Object type"
        value={typeName ?? ''}
        empty="Choose a type…"
        options={types.map((t) => ({ value: t.type, label: t.label }))}
        onChange={(value) => (location.hash = href.objects(value || undefined))}
      />
      {problem && <Notice>{problem}</Notice>}
      {type && (
        <>
          <div class="page__head">
            <h2>{type.label}</h2>
            <DownloadButton
              path={`/v1/objects/${encodeURIComponent(type.type)}/export`}
              fileName={`${type.type}.csv`}
              label="Export"
            />
          </div>
          {page && page.items.length === 0 && <p class="empty">No {type.label} records yet.</p>}
          {page && page.items.length > 0 && (
            <div class="table-wrap">
              <table class="table table--compact" id="records-table">
                <caption class="visually-hidden">{type.label} records</caption>
                <thead>
                  <tr>
                    {type.columns
                      .filter((c) => c.name !== 'Action')
                      .map((c) => (
                        <th key={c.name} scope="col">
                          {c.name}
                        </th>
                      ))}
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((record, i) => (
                    <tr key={i}>
                      {type.columns
                        .filter((c) => c.name !== 'Action')
                        .map((c) => (
                          <td key={c.name} data-label={c.name}>
                            {record[c.name] ?? ''}
                          </td>
                        ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pager
            label={`Pages of ${type.label} records`}
            cursors={cursors}
            setCursors={setCursors}
            nextCursor={page?.nextCursor}
          />
        </>
      )}
    </section>
  );
}
