import type { ColumnView, ObjectTypeView } from '@bulkops/contracts';
import { ACTION_COLUMN, type ObjectDeclaration } from './define-object';
import { textOf } from './row-problem';

/** How `GET /v1/objects` describes a type: columns in canonical order, Action last. */
export function describeObject(declaration: ObjectDeclaration): ObjectTypeView {
  const columns: ColumnView[] = declaration.columns.map((c) => ({
    name: c.name,
    required: c.required === true,
    ...(c.requiredWhen ? { requiredWhen: c.requiredWhen.describe } : {}),
    ...(c.onlyWhen ? { onlyWhen: c.onlyWhen.describe } : {}),
    description: c.description,
    type: c.kind.meta.type,
    ...(c.kind.meta.maxLength !== undefined ? { maxLength: c.kind.meta.maxLength } : {}),
    ...(c.kind.meta.values ? { values: [...c.kind.meta.values] } : {}),
    ...(c.kind.meta.references ? { references: c.kind.meta.references } : {}),
    ...(c.kind.meta.format ? { format: c.kind.meta.format } : {}),
    ...(c.default !== undefined ? { default: textOf(c.default).toUpperCase() } : {}),
    ...(c.immutable ? { immutable: true } : {}),
    ...(c.aliases?.length ? { aliases: [...c.aliases] } : {}),
  }));
  columns.push({
    name: ACTION_COLUMN,
    required: false,
    description: 'Empty to create or update the object; DELETE to delete it.',
    type: 'enum',
    values: ['DELETE'],
  });
  const view = {
    type: declaration.type,
    label: declaration.label,
    key: [...declaration.key],
    columns,
    dependsOn: [...declaration.dependsOn],
  };
  switch (declaration.file) {
    case 'csv':
      return { ...view, file: 'csv' };
    case 'zip': {
      const { manifest, extension } = declaration.media;
      const nameColumn = declaration.keyColumns[0].name;
      return { ...view, file: 'zip', media: { manifest, extension, nameColumn } };
    }
  }
}
