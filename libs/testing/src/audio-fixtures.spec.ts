import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Open } from 'unzipper';
import { referrersOf } from '@bulkops/objects';
import {
  AUDIO_FIXTURES_DIR,
  invalidAudioExpectations,
  invalidAudioFixture,
  validAudioFixture,
  type FixtureEntry,
} from './audio-fixtures';

/** Entries by name and digest (comparing megabytes byte by byte in expect is slow). */
function digests(entries: FixtureEntry[]): { name: string; sha256: string }[] {
  return entries
    .map((e) => ({ name: e.name, sha256: createHash('sha256').update(e.content).digest('hex') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function committed(zipName: string): Promise<{ name: string; sha256: string }[]> {
  const zip = await Open.buffer(readFileSync(join(AUDIO_FIXTURES_DIR, zipName)));
  return digests(
    await Promise.all(
      zip.files.map(async (file) => ({ name: file.path, content: await file.buffer() })),
    ),
  );
}

/** The committed audio fixtures are what audio-fixtures.ts defines (rebuild: nx run testing:audio-fixtures). */
describe('the audio-file fixtures', () => {
  it('hold exactly the files their definitions build', async () => {
    expect(await committed('valid.zip')).toEqual(digests(validAudioFixture()));
    expect(await committed('invalid.zip')).toEqual(digests(invalidAudioFixture()));
  });

  it('delete a file other types reference, expecting IN_USE, as every referenced type does', () => {
    expect(referrersOf('audio-file').map((r) => r.declaration.type)).toContain('entry-point');
    expect(invalidAudioExpectations().some((e) => / is used by /.test(e.message))).toBe(true);
  });

  it('expect exactly the errors their definitions list', () => {
    expect(
      JSON.parse(readFileSync(join(AUDIO_FIXTURES_DIR, 'invalid.expected.json'), 'utf8')),
    ).toEqual(invalidAudioExpectations());
  });
});
