import { checkHeader, arrangeCells } from './header-check';
import { checkRow } from './row-check';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeObject } from './object-view';
import { findObject, OBJECT_TYPES, referrersOf } from './registry';

/** Reads a fixture: RFC 4180 quoting (cells with ',' or '"'), one record per line. */
function records(csv: Buffer): string[][] {
  return csv
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.length > 0)
    .map((line) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i += 1) {
        const ch = line[i];
        if (quoted && ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i += 1;
        } else if (ch === '"') quoted = !quoted;
        else if (ch === ',' && !quoted) {
          cells.push(cell);
          cell = '';
        } else cell += ch;
      }
      cells.push(cell);
      return cells;
    });
}

describe('the object registry', () => {
  it('lists each type once, with a table of its own', () => {
    const types = OBJECT_TYPES.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(new Set(OBJECT_TYPES.map((d) => d.table)).size).toBe(types.length);
  });

  it('orders every type after the types it references (objects.md §19.2)', () => {
    OBJECT_TYPES.forEach((declaration, position) => {
      for (const target of declaration.dependsOn) {
        const targetPosition = OBJECT_TYPES.findIndex((d) => d.type === target);
        expect({
          type: declaration.type,
          target,
          known: targetPosition >= 0,
          before: targetPosition < position,
        }).toEqual({
          type: declaration.type,
          target,
          known: true,
          before: true,
        });
      }
    });
  });

  it('never lets a type reference itself', () => {
    for (const declaration of OBJECT_TYPES)
      expect(declaration.dependsOn).not.toContain(declaration.type);
  });

  it('finds the referrers of a type from the reference columns', () => {
    expect(referrersOf('site').map((r) => r.declaration.type)).toContain('team');
    expect(findObject('nope')).toBeUndefined();
  });

  it('describes a media type with the layout of its zip, and a CSV type without one', () => {
    expect(describeObject(findObject('audio-file')!)).toMatchObject({
      file: 'zip',
      media: { manifest: 'audio-files.csv', extension: '.wav', nameColumn: 'Name' },
    });
    expect(describeObject(findObject('site')!)).not.toHaveProperty('media');
  });

  it('describes each type with its columns in canonical order and Action last', () => {
    for (const declaration of OBJECT_TYPES) {
      const view = describeObject(declaration);
      expect(view.columns.map((c) => c.name)).toEqual(declaration.header);
      expect(view.columns.at(-1)!.name).toBe('Action');
      expect(view.columns.every((c) => c.description.length > 0)).toBe(true);
    }
  });
});

describe('the checklist of a new type (README "An 18th type")', () => {
  const typesDir = join(__dirname, 'types');
  const root = join(__dirname, '..', '..', '..');
  const migrationsDir = join(root, 'libs', 'database', 'src', 'migrations');
  const migrations = readdirSync(migrationsDir)
    .filter((name) => /^\d+-\w+\.ts$/.test(name))
    .map((name) => readFileSync(join(migrationsDir, name), 'utf8'));
  const examples = readdirSync(join(root, 'examples', 'contact-center'));

  it('registers every folder under types/, and only those', () => {
    const folders = readdirSync(typesDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(OBJECT_TYPES.map((d) => d.type).sort()).toEqual(folders);
  });

  it.each(OBJECT_TYPES.map((d) => [d.type, d] as const))(
    '%s has its declaration file, fixtures, a migration creating its table, an example and its hooks attached',
    (type, declaration) => {
      const folder = join(typesDir, type);
      const ext = declaration.file;
      const has = {
        declaration: existsSync(join(folder, `${type}.object.ts`)),
        fixtures: ['valid', 'invalid'].map((f) =>
          existsSync(join(folder, 'fixtures', `${f}.${ext}`)),
        ),
        expectations: existsSync(join(folder, 'fixtures', 'invalid.expected.json')),
        migration: migrations.some((text) =>
          new RegExp(`CREATE TABLE "?${declaration.table}"? \\(`).test(text),
        ),
        example: examples.includes(`${type}.${ext}`),
        // A <type>.hooks.ts the registry does not attach would never run.
        hooksAttached:
          existsSync(join(folder, `${type}.hooks.ts`)) ===
          Object.keys(declaration.hooks).length > 0,
      };
      expect(has).toEqual({
        declaration: true,
        fixtures: [true, true],
        expectations: true,
        migration: true,
        example: true,
        hooksAttached: true,
      });
    },
  );
});

describe.each(OBJECT_TYPES.filter((d) => d.file === 'csv').map((d) => [d.type, d] as const))(
  '%s fixtures',
  (type, declaration) => {
    const dir = join(__dirname, 'types', type, 'fixtures');
    const fixtures = existsSync(join(dir, 'invalid.expected.json'))
      ? {
          valid: readFileSync(join(dir, 'valid.csv')),
          invalid: readFileSync(join(dir, 'invalid.csv')),
          expected: JSON.parse(readFileSync(join(dir, 'invalid.expected.json'), 'utf8')) as {
            row: number;
            message: string;
          }[],
        }
      : null;

    it('has a valid and an invalid fixture', () => {
      expect(fixtures).not.toBeNull();
    });

    it('reads the valid fixture without a single row problem', () => {
      const [header, ...rows] = records(fixtures!.valid);
      const match = checkHeader(declaration, header, 'valid.csv');
      if (!match.ok) throw new Error(match.message);
      for (const record of rows) {
        const checked = checkRow(
          declaration,
          arrangeCells(match, record, declaration.columns.length),
        );
        expect({ record, problems: checked.problems }).toEqual({ record, problems: [] });
      }
    });

    it('deletes an object other types reference in its invalid fixture, expecting IN_USE', () => {
      const referenced = referrersOf(type).length > 0;
      const provesInUse = fixtures!.expected.some((e) => / is used by /.test(e.message));
      expect({ type, referenced, provesInUse }).toEqual({
        type,
        referenced,
        provesInUse: referenced,
      });
    });

    it('expects an error for every row of the invalid fixture', () => {
      const [header, ...rows] = records(fixtures!.invalid);
      expect(checkHeader(declaration, header, 'invalid.csv').ok).toBe(true);
      expect(fixtures!.expected.map((e) => e.row)).toEqual(rows.map((_, i) => i + 2));
    });
  },
);
