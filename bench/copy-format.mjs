#!/usr/bin/env node
// COPY's binary format, which the worker sends (libs/database copy-rows.ts), against the text format
// it sent before: the benchmark's 100,000 users (BENCH_OBJECT=team for teams) written as 20 COPYs of
// 5000 rows by each encoder, chunk by chunk in turn, into two tables with the object table's columns,
// indexes and foreign keys, each COPY in its own transaction. Prints, per round, the CPU of the
// Postgres backend and of this process for each format. Interleaving the chunks puts both formats in
// the same phase of a machine whose speed drifts. Run after a build: node bench/copy-format.mjs.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { benchType, createCopyTable, FILES, referencedIds, ROWS_PER_FILE } from './bench-rows.mjs';
import { cpuMs, importAndWait, root, startScratchStack } from './lib.mjs';

const require = createRequire(join(root, 'package.json'));
const { copyRows } = require(join(root, 'libs/database/dist/objects/copy-rows.js'));
const { timeOrderedId } = require(join(root, 'libs/database/dist/objects/time-ordered-id.js'));
const { from: copyFrom } = require('pg-copy-streams');

const ROUNDS = Number(process.env.ROUNDS ?? 3);
// One COPY per file of the import benchmark, as the worker writes one chunk per file.
const CHUNKS = FILES;
const CHUNK_ROWS = ROWS_PER_FILE;
const spec = benchType(process.env.BENCH_OBJECT ?? 'user');

// COPY's text format as copy-rows.ts wrote it before it sent binary: fields escaped, tab-separated.
const ESCAPED = /[\\\n\r\t]/;
const ESCAPED_ALL = /[\\\n\r\t]/g;
const ESCAPES = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const escapeField = (text) =>
  ESCAPED.test(text) ? text.replace(ESCAPED_ALL, (c) => ESCAPES[c]) : text;
const scalarText = (value) =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
function textField(value, pgType) {
  if (value === null || value === undefined) return '\\N';
  if (pgType === 'boolean') return value ? 't' : 'f';
  if (pgType.endsWith('[]')) {
    const quoted = value.map((v) => `"${scalarText(v).replace(/[\\"]/g, '\\$&')}"`);
    return escapeField(`{${quoted.join(',')}}`);
  }
  return pgType === 'jsonb' ? escapeField(JSON.stringify(value)) : escapeField(scalarText(value));
}
async function copyText(manager, table, columns, rows) {
  const client = await manager.queryRunner.connect();
  const names = columns.map((c) => c.dbColumn).join(', ');
  const sink = client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`));
  // Each row encoded into the batch's buffer as it ends, as copy-rows.ts did before binary.
  function* batches() {
    let buffer = Buffer.allocUnsafe(256 * 1024);
    let used = 0;
    for (let i = 0; i < rows.length; i += 1) {
      if (i > 0 && i % 500 === 0) {
        yield buffer.subarray(0, used);
        buffer = Buffer.allocUnsafe(256 * 1024);
        used = 0;
      }
      let line = null;
      for (let c = 0; c < columns.length; c += 1) {
        const field = textField(rows[i][c], columns[c].pgType);
        line = line === null ? field : `${line}\t${field}`;
      }
      line += '\n';
      if (used + line.length * 3 > buffer.length) {
        const larger = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + line.length * 3));
        buffer.copy(larger, 0, 0, used);
        buffer = larger;
      }
      used += buffer.write(line, used);
    }
    yield buffer.subarray(0, used);
  }
  await pipeline(Readable.from(batches(), { highWaterMark: 2 }), sink);
}

const stack = await startScratchStack(`bulkops_bench_copy_format_${process.pid}`);
try {
  for (const [object, name, content] of spec.setup) {
    const { job } = await importAndWait(stack, object, name, content);
    if (job.status !== 'COMPLETED') throw new Error(`set-up ${object} ended ${job.status}`);
  }
  const ids = await referencedIds(stack.dataSource, stack.orgId);
  // The columns as the worker writes them: its id, then what \copy loads in import-bench.mjs.
  const { rows: described } = await stack.dataSource.driver.master.query(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attname = ANY($2)`,
    [`"${spec.table}"`, spec.copyColumns],
  );
  // format_type names these columns as copy-rows.ts names their types (uuid, text, boolean, uuid[]).
  const typeOf = new Map(described.map((c) => [c.name, c.type]));
  const columns = [
    { dbColumn: 'id', pgType: 'uuid' },
    ...spec.copyColumns.map((name) => ({ dbColumn: name, pgType: typeOf.get(name) })),
  ];
  const valueOf = (text, pgType) =>
    pgType === 'boolean'
      ? text === 'true'
      : pgType.endsWith('[]')
        ? text.slice(1, -1).split(',')
        : text;
  const rowsFrom = (first) =>
    Array.from({ length: CHUNKS * CHUNK_ROWS }, (_, n) => [
      timeOrderedId(),
      ...spec.copyRow(first + n, ids).map((text, i) => valueOf(text, columns[i + 1].pgType)),
    ]);
  const formats = {
    binary: (manager, rows) => copyRows(manager, 'bench_copy_binary', columns, rows),
    text: (manager, rows) => copyText(manager, 'bench_copy_text', columns, rows),
  };
  console.log(
    `${CHUNKS} COPYs of ${CHUNK_ROWS} ${spec.table} rows in each format, interleaved chunk by chunk; CPU per ${CHUNKS * CHUNK_ROWS} rows:`,
  );
  for (let round = 1; round <= ROUNDS; round += 1) {
    await createCopyTable(stack.dataSource, spec, 'bench_copy_binary');
    await createCopyTable(stack.dataSource, spec, 'bench_copy_text');
    const used = { binary: { postgres: 0, client: 0 }, text: { postgres: 0, client: 0 } };
    const rows = { binary: rowsFrom(2 * round * 1e6), text: rowsFrom((2 * round + 1) * 1e6) };
    for (let chunk = 0; chunk < CHUNKS; chunk += 1) {
      const order = chunk % 2 === 0 ? ['text', 'binary'] : ['binary', 'text'];
      for (const format of order) {
        const slice = rows[format].slice(chunk * CHUNK_ROWS, (chunk + 1) * CHUNK_ROWS);
        await stack.dataSource.transaction(async (manager) => {
          const [{ pid }] = await manager.query('SELECT pg_backend_pid() AS pid');
          const backendBefore = cpuMs(pid);
          const clientBefore = process.cpuUsage();
          await formats[format](manager, slice);
          const client = process.cpuUsage(clientBefore);
          used[format].postgres += cpuMs(pid) - backendBefore;
          used[format].client += (client.user + client.system) / 1000;
        });
      }
    }
    const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `  round ${round}: Postgres ${seconds(used.binary.postgres)} binary, ${seconds(used.text.postgres)} text; this process ${seconds(used.binary.client)} binary, ${seconds(used.text.client)} text`,
    );
  }
  await stack.dataSource.query('DROP TABLE bench_copy_binary; DROP TABLE bench_copy_text');
} finally {
  await stack.stop();
}
