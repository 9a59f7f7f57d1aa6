import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One expected row error of a type's invalid fixture. */
export interface ExpectedRowError {
  /** Source File, when the fixture checks it (media uploads, whose rows come from several files). */
  file?: string;
  /** Source Row; null where the report leaves it empty (a media file no manifest line names). */
  row: number | null;
  message: string;
}

/** A type's fixtures (libs/objects/src/types/<type>/fixtures): what its tests and the example contact center use. */
export interface ObjectFixtures {
  validName: string;
  valid: Buffer;
  invalidName: string;
  invalid: Buffer;
  expected: ExpectedRowError[];
}

/**
 * Reads the fixtures of a type, or null when it has none yet. CSV types have valid.csv and
 * invalid.csv; zip types (audio) have valid.zip and invalid.zip built by their fixture script.
 */
export function fixturesOf(type: string): ObjectFixtures | null {
  const dir = join(__dirname, '..', '..', 'objects', 'src', 'types', type, 'fixtures');
  const expectedPath = join(dir, 'invalid.expected.json');
  if (!existsSync(expectedPath)) return null;
  const ext = existsSync(join(dir, 'valid.zip')) ? 'zip' : 'csv';
  return {
    validName: `valid.${ext}`,
    valid: readFileSync(join(dir, `valid.${ext}`)),
    invalidName: `invalid.${ext}`,
    invalid: readFileSync(join(dir, `invalid.${ext}`)),
    expected: JSON.parse(readFileSync(expectedPath, 'utf8')) as ExpectedRowError[],
  };
}
