import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rawZip } from '@bulkops/testing';

/** Where the corpus lives: small files committed as they are, and the manifest. */
export const BAD_INPUTS_DIR = join(__dirname, '..', '..', 'fixtures', 'bad-inputs');

/** What an upload of the corpus must end as. */
export type Expected =
  /** Refused at the door. */
  | { http: number; code: string }
  /** Accepted, then failed as a whole: nothing applied. */
  | { status: 'FAILED'; failure: string; failureFile?: string }
  /** Accepted and applied: its row errors by code (a row with two codes counts under both). */
  | {
      status: 'COMPLETED' | 'COMPLETED_WITH_ERRORS';
      created: number;
      rowErrors: Record<string, number>;
    };

/** One entry of manifest.json. */
export interface BadInput {
  /** The fixture's file name, or the name of its generator below. */
  file: string;
  /** Generated at test time by GENERATORS (too big to commit). */
  generated?: boolean;
  /** The name it is uploaded under, when not `file`. */
  uploadAs?: string;
  object: string;
  mode?: string;
  /** What the case probes. */
  why: string;
  expect: Expected;
}

const HEADER = 'Name,Multimedia Profile';
const MB = 1024 * 1024;

const text = (value: string) => Buffer.from(value, 'utf8');
const lines = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join('\n');

/**
 * The uploads too big to commit, built the same way every run. Most are small to send and large
 * to read: a zip of 100,000 duplicate rows is 3.9 KB.
 */
export const GENERATORS: Readonly<Record<string, () => Buffer>> = {
  'million-columns.csv': () => text(`${lines(1_000_000, (i) => `c${i}`).replace(/\n/g, ',')}\n`),
  'million-trailing-commas.csv': () =>
    text(`${HEADER}${','.repeat(1_000_000)}\n${lines(100, (i) => `Trail ${i},MM`)}\n`),
  'huge-column-name.csv': () => text(`Name,${'x'.repeat(10 * MB - 1024)}\nA,B\n`),
  'long-column-name.csv': () => text(`Name,${'x'.repeat(300_000)}\nA,B\n`),
  'long-line.csv': () => text(`${HEADER}\n${'x,'.repeat(5 * MB - 64)}\n`),
  'long-cell.csv': () => text(`${HEADER}\nLong,${'m'.repeat(500_000)}\n`),
  'quote-swallows-file.csv': () =>
    text(`${HEADER}\n"Open,MM\n${lines(700_000, (i) => `Row ${i},MM`)}\n`),
  'too-many-rows.csv': () => text(`${HEADER}\n${lines(5001, (i) => `Site ${i},MM`)}\n`),
  'too-large.csv': () => Buffer.alloc(10 * MB + 1, 'a'),
  'duplicates-5000.csv': () => text(`${HEADER}\n${lines(5000, () => 'Dup,MM')}\n`),
  'duplicates-bomb.zip': () => {
    const copies = text(`${HEADER}\n${lines(5000, () => 'Dup,MM')}\n`);
    return rawZip(
      Array.from({ length: 20 }, (_, i) => ({
        name: `dup-${String(i).padStart(2, '0')}.csv`,
        data: copies,
        deflate: true,
      })),
    );
  },
  'zip-too-many-entries.zip': () =>
    rawZip(
      Array.from({ length: 1001 }, (_, i) => ({
        name: `f${i}.csv`,
        data: text(`${HEADER}\nSite ${i},MM\n`),
      })),
    ),
  'zip-bomb.zip': () => {
    // One honest entry: 10 MB + 1 of spaces deflates to about 10 KB.
    return rawZip([{ name: 'bomb.csv', data: Buffer.alloc(10 * MB + 1, ' '), deflate: true }]);
  },
  'outdial-ani-longest-cell.csv': () => {
    const entry = (i: number) => `${`E${i}`.padEnd(80, 'e')}:sip:${'u'.repeat(251)}`;
    return text(`Name,Entries\nLongest,"${lines(1000, entry).replace(/\n/g, '|')}"\n`);
  },
};

/** The corpus' manifest. */
export function loadManifest(): BadInput[] {
  return JSON.parse(readFileSync(join(BAD_INPUTS_DIR, 'manifest.json'), 'utf8')) as BadInput[];
}

/** The bytes of a case: its committed file, or what its generator builds. */
export function bytesOf(input: BadInput): Buffer {
  if (!input.generated) return readFileSync(join(BAD_INPUTS_DIR, input.file));
  const generate = GENERATORS[input.file];
  if (!generate) throw new Error(`no generator for ${input.file}`);
  return generate();
}
