import type { ChangeActionView, ChangeView, ChangedColumnView } from '@bulkops/contracts';
import type { RecordedChange } from '@bulkops/database';
import { getObject } from '@bulkops/objects';

/** The header of the changes CSV (spec/api.md `GET /v1/jobs/{id}/changes`). */
export const CHANGE_CSV_HEADER = [
  'Object',
  'Key',
  'Action',
  'Column',
  'Old Value',
  'New Value',
  'Source File',
  'Source Row',
] as const;

/**
 * What an update line says when no column's text changed: the object was rewritten for what its
 * columns do not show (a media file's bytes, which changes do not record).
 */
export const CONTENT_ONLY = '(file content)';

const ACTIONS: Record<RecordedChange['action'], ChangeActionView> = {
  create: 'CREATE',
  update: 'UPDATE',
  delete: 'DELETE',
};

/**
 * A recorded change as the API shows it: an update lists the columns whose canonical text differs,
 * a create or a delete every column that has a value (in declaration order).
 */
export function changeView(change: RecordedChange): ChangeView {
  const { columns } = getObject(change.object);
  const listed: ChangedColumnView[] = [];
  columns.forEach((column, i) => {
    const oldValue = change.before?.[i] ?? null;
    const newValue = change.after?.[i] ?? null;
    const shown =
      change.action === 'update' ? oldValue !== newValue : (oldValue ?? newValue) !== null;
    if (shown) listed.push({ column: column.name, oldValue, newValue });
  });
  return {
    object: change.object,
    key: change.keyDisplay,
    action: ACTIONS[change.action],
    columns: listed,
    sourceFile: change.sourceFile,
    sourceRow: change.sourceRow,
  };
}

/** `Name=Sales; Site=Austin`: a created or deleted object's values in one cell a person can read. */
function pairs(columns: readonly ChangedColumnView[], side: 'oldValue' | 'newValue'): string {
  return columns.map((c) => `${c.column}=${c[side] ?? ''}`).join('; ');
}

/**
 * The CSV lines of one change (cells before formula neutralising): one per changed column of an
 * update (Column, Old Value, New Value); one for a create or a delete, its Column empty and its
 * values as `Column=value` pairs in New Value (create) or Old Value (delete).
 */
export function changeCsvLines(view: ChangeView): string[][] {
  const where = [view.sourceFile, String(view.sourceRow)];
  const line = (column: string, oldValue: string, newValue: string) => [
    view.object,
    view.key,
    view.action,
    column,
    oldValue,
    newValue,
    ...where,
  ];
  switch (view.action) {
    case 'CREATE':
      return [line('', '', pairs(view.columns, 'newValue'))];
    case 'DELETE':
      return [line('', pairs(view.columns, 'oldValue'), '')];
    case 'UPDATE':
      if (view.columns.length === 0) return [line(CONTENT_ONLY, '', '')];
      return view.columns.map((c) => line(c.column, c.oldValue ?? '', c.newValue ?? ''));
  }
}
