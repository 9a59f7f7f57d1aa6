import { useState } from 'preact/hooks';
import { Choice } from '../components/choice';
import { DownloadButton } from '../components/download-button';
import { Notice } from '../components/notice';
import { ApiError, request } from '../lib/api';
import { formatBytes } from '@bulkops/contracts';
import { href } from '../lib/router';
import type { JobView, Me, ObjectTypeView } from '../lib/types';
import { useObjectTypes } from '../lib/use-objects';

type Outcome = { kind: 'error'; message: string; activeJobId?: string } | null;

/** The job object of an upload over several types (spec/api.md "Bundles"). */
const BUNDLE = 'bundle';

/** What an upload of a type is. */
function fileKind(type: ObjectTypeView): string {
  return type.file === 'zip'
    ? 'a .zip of .wav files, with an optional audio-files.csv manifest'
    : 'one .csv file, or a .zip of .csv files (at most 5000 rows each)';
}

/** Import: choose a type, read its columns, get its template, drop a file, submit, follow the job. */
export function ImportPage({ me }: { me: Me }) {
  const types = useObjectTypes();
  const [typeName, setTypeName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'apply' | 'validate'>('apply');
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const type = types.find((t) => t.type === typeName) ?? null;
  const bundle = typeName === BUNDLE;

  if (me.role !== 'admin')
    return (
      <section aria-labelledby="import-title">
        <h1 id="import-title">Import</h1>
        <Notice>Imports need an admin token; a viewer may read jobs and objects.</Notice>
      </section>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    if ((!type && !bundle) || !file) {
      setOutcome({ kind: 'error', message: 'Choose an object type and a file first.' });
      return;
    }
    setBusy(true);
    setOutcome(null);
    // Fields before the file: the gateway refuses a busy organization before the upload is sent.
    const form = new FormData();
    form.append('object', type ? type.type : BUNDLE);
    form.append('mode', mode);
    form.append('file', file, file.name);
    try {
      const response = await request('/v1/jobs', { method: 'POST', body: form });
      const job = (await response.json()) as JobView;
      location.hash = href.job(job.id);
    } catch (error) {
      setOutcome({
        kind: 'error',
        message: error instanceof ApiError ? error.message : 'The upload failed; try again.',
        activeJobId:
          error instanceof ApiError && typeof error.body['activeJobId'] === 'string'
            ? error.body['activeJobId']
            : undefined,
      });
    } finally {
      setBusy(false);
    }
  };

  const pick = (files: FileList | null | undefined) => {
    const chosen = files?.[0];
    if (chosen) setFile(chosen);
  };

  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">Import</h1>
      <form class="import" onSubmit={(e) => void submit(e)}>
        <Choice
          id="object-type"
          label="Object type"
          value={typeName}
          empty="Choose a type…"
          options={[
            ...types.map((t) => ({ value: t.type, label: t.label })),
            { value: BUNDLE, label: 'Bundle (several types in one zip)' },
          ]}
          onChange={setTypeName}
        />

        {bundle && (
          <section class="type-info" aria-labelledby="type-title">
            <h2 id="type-title">Bundle</h2>
            <p>
              Upload one .zip holding <code>{'{type}'}.csv</code> or{' '}
              <code>{'{type}-{part}'}.csv</code> files and the folder <code>audio-file/</code>, as
              the organization export writes them. Every file is checked before anything is applied;
              then the types are applied in dependency order, deletes last.
            </p>
          </section>
        )}

        {type && (
          <section class="type-info" aria-labelledby="type-title">
            <h2 id="type-title">{type.label}</h2>
            <p>
              Upload {fileKind(type)}. Rows are matched on <strong>{type.key.join(' + ')}</strong>:
              a new key creates, an existing one updates, and <code>DELETE</code> in the Action
              column deletes.
              {type.dependsOn.length > 0 && <> Import first: {type.dependsOn.join(', ')}.</>}
            </p>
            <DownloadButton
              path={`/v1/objects/${encodeURIComponent(type.type)}/template`}
              fileName={`${type.type}-template.csv`}
              label="Download template"
            />
            <div class="table-wrap">
              <table class="table table--compact">
                <caption>Columns</caption>
                <thead>
                  <tr>
                    <th scope="col">Column</th>
                    <th scope="col">Required</th>
                    <th scope="col">Type</th>
                    <th scope="col">Description</th>
                  </tr>
                </thead>
                <tbody>
                  {type.columns.map((column) => (
                    <tr key={column.name}>
                      <td>{column.name}</td>
                      <td>
                        {column.required
                          ? 'Yes'
                          : column.requiredWhen
                            ? `When ${column.requiredWhen}`
                            : 'No'}
                      </td>
                      <td>
                        {column.type}
                        {column.maxLength ? ` (≤ ${column.maxLength})` : ''}
                      </td>
                      <td>{column.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}

        <div
          class={`drop ${dragging ? 'drop--over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            pick(e.dataTransfer?.files);
          }}
        >
          <label for="upload-file">File (.csv or .zip)</label>
          <input
            id="upload-file"
            type="file"
            accept=".csv,.zip,text/csv,application/zip"
            onChange={(e) => pick((e.target as HTMLInputElement).files)}
          />
          <p class="hint">
            {file ? `${file.name} · ${formatBytes(file.size)}` : 'Drop a file here, or choose one.'}
          </p>
        </div>

        <fieldset class="mode">
          <legend>Mode</legend>
          <label>
            <input
              type="radio"
              name="mode"
              value="apply"
              checked={mode === 'apply'}
              onChange={() => setMode('apply')}
            />{' '}
            Apply: create, update and delete
          </label>
          <label>
            <input
              type="radio"
              name="mode"
              value="validate"
              checked={mode === 'validate'}
              onChange={() => setMode('validate')}
            />{' '}
            Validate only: report errors, change nothing
          </label>
        </fieldset>

        {outcome && (
          <Notice>
            {outcome.message}
            {outcome.activeJobId && (
              <>
                {' '}
                <a href={href.job(outcome.activeJobId)}>Open the active job</a>
              </>
            )}
          </Notice>
        )}
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Submit'}
        </button>
      </form>
    </section>
  );
}
