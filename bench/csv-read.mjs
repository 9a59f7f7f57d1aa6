#!/usr/bin/env node
// CSV reading time by the shape of the input (issue 13 #2: long lines must not cost more than
// short ones). Reads ~10 MB of each shape through readCsv in 64 KB pieces, as ingest gets them
// from storage, and prints the time, the records read and how the read ended. Shapes that hit a
// limit are also read with the limits lifted, to show the parser itself stays linear.
// Run after a build: node bench/csv-read.mjs.
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { root } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
// BENCH_CSV_READER=<path to a built csv-reader.js> compares another version of the reader.
const { readCsv } = require(process.env.BENCH_CSV_READER ?? '@bulkops/csv');

const MB = 1024 * 1024;
const HEADER = 'Name,Multimedia Profile\n';
const pieces = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) =>
    bytes.subarray(i * 65536, (i + 1) * 65536),
  );
};

const shapes = [
  ['10 MB of short rows (2 cells each)', HEADER + 'Austin Site,MMP Default\n'.repeat(437_000)],
  ['10 MB of quoted rows with ""', HEADER + '"Aus ""tin""","MMP, Default"\n'.repeat(340_000)],
  ['one 10 MB line of 5 million cells', `${HEADER}${'x,'.repeat(5 * MB)}\n`],
  ['one 10 MB cell', `${HEADER}${'x'.repeat(10 * MB)}\n`],
  ['one 10 MB quoted cell', `${HEADER}"${'x'.repeat(10 * MB)}"\n`],
  ['a header of a million columns', `${Array.from({ length: 1_000_000 }, (_, i) => `c${i}`)}\n`],
];

async function time(text, limits) {
  const started = performance.now();
  let records = 0;
  let outcome = 'read';
  try {
    for await (const _record of readCsv(Readable.from(pieces(text)), {
      fileName: 'bench.csv',
      maxBytes: 11 * MB,
      ...limits,
    }))
      records += 1;
  } catch (error) {
    outcome = error.code ?? error.message;
  }
  return { ms: performance.now() - started, records, outcome };
}

for (const [label, text] of shapes) {
  const bounded = await time(text, {});
  const line = `${label.padEnd(40)} ${bounded.ms.toFixed(0).padStart(6)} ms  ${bounded.outcome}`;
  if (bounded.outcome === 'read') {
    console.log(`${line} (${bounded.records} records)`);
    continue;
  }
  const unbounded = await time(text, { maxCellChars: 11 * MB, maxLineChars: 11 * MB });
  console.log(
    `${line}; without limits ${unbounded.ms.toFixed(0)} ms, ${unbounded.outcome} (${unbounded.records} records)`,
  );
}
