import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AUDIO_FIXTURES_DIR,
  invalidAudioExpectations,
  invalidAudioFixture,
  validAudioFixture,
} from './audio-fixtures';
import { buildZip } from './zip';

/**
 * Writes the audio-file fixtures (valid.zip, invalid.zip, invalid.expected.json) from their
 * definitions in audio-fixtures.ts: `npx nx run testing:audio-fixtures`. audio-fixtures.spec.ts
 * fails when the committed files and the definitions drift apart.
 */
async function main(): Promise<void> {
  await writeFile(join(AUDIO_FIXTURES_DIR, 'valid.zip'), await buildZip(validAudioFixture()));
  await writeFile(join(AUDIO_FIXTURES_DIR, 'invalid.zip'), await buildZip(invalidAudioFixture()));
  const lines = invalidAudioExpectations().map((e) => `  ${JSON.stringify(e)}`);
  await writeFile(
    join(AUDIO_FIXTURES_DIR, 'invalid.expected.json'),
    `[\n${lines.join(',\n')}\n]\n`,
  );
}

void main();
