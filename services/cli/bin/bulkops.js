#!/usr/bin/env node
// The `bulkops` command. A committed launcher, so npm links it at install time on a fresh clone
// (before anything is built) and `npx bulkops` never reaches for the public registry.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'bulkops: the CLI is not built yet; run `npm run build` (or `npm start`) first\n',
  );
  process.exit(1);
}
require(main);
