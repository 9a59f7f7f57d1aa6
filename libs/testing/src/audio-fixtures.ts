import { join } from 'node:path';
import type { ExpectedRowError } from './fixtures';
import { buildWav, mp3Bytes, WavFormat } from './wav';

/** One entry of a fixture zip. */
export interface FixtureEntry {
  name: string;
  content: Buffer;
}

/** Where the audio-file fixtures live (the folder `fixturesOf('audio-file')` reads). */
export const AUDIO_FIXTURES_DIR = join(
  __dirname,
  '..',
  '..',
  'objects',
  'src',
  'types',
  'audio-file',
  'fixtures',
);

const CONVERT = 'convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)';

function csv(lines: readonly string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

/**
 * The valid audio upload of the example contact center: the three accepted encodings (µ-law, A-law,
 * 8- and 16-bit PCM), a 2-channel file, manifest rows with descriptions and files without one.
 * None of its names are ones other types' invalid fixtures expect to be missing (hold.wav, …).
 */
export function validAudioFixture(): FixtureEntry[] {
  return [
    {
      name: 'audio-files.csv',
      content: csv([
        'Name,Description,Action',
        'welcome.wav,Greeting played on every inbound call,',
        'defaultmusic_on_hold.wav,Music on hold (G.711 A-law),',
        'survey.wav,"Post-call survey, 16-bit PCM",',
      ]),
    },
    { name: 'welcome.wav', content: buildWav({ formatTag: WavFormat.MULAW, seed: 1 }) },
    {
      name: 'defaultmusic_on_hold.wav',
      content: buildWav({ formatTag: WavFormat.ALAW, frames: 4000, seed: 2 }),
    },
    {
      name: 'survey.wav',
      content: buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 16, seed: 3 }),
    },
    {
      name: 'menu-8bit.wav',
      content: buildWav({ formatTag: WavFormat.PCM, bitsPerSample: 8, seed: 4 }),
    },
    {
      name: 'after-hours-stereo.wav',
      content: buildWav({ formatTag: WavFormat.MULAW, channels: 2, seed: 5 }),
    },
  ];
}

const LONG_DESCRIPTION = 'A prompt description that keeps going '.repeat(7).slice(0, 256);

/**
 * The invalid audio upload: every row it makes is rejected, each with its own message, and nothing
 * changes. Applied after the valid fixtures of every type, so welcome.wav exists, ghost.wav does not,
 * and an entry point plays defaultmusic_on_hold.wav (the delete is IN_USE).
 */
export function invalidAudioFixture(): FixtureEntry[] {
  const mulaw = buildWav({ seed: 9 });
  const cut = buildWav({ frames: 400, seed: 10 });
  return [
    {
      name: 'audio-files.csv',
      content: csv([
        'Name,Description,Action',
        `bad-description.wav,${LONG_DESCRIPTION},`,
        'missing.wav,Not in the zip,',
        'ghost.wav,,DELETE',
        'conflict.wav,,DELETE',
        'welcome.wav,Greeting,REMOVE',
        'defaultmusic_on_hold.wav,,DELETE',
      ]),
    },
    { name: 'bad-description.wav', content: mulaw },
    { name: 'welcome.wav', content: mulaw },
    { name: 'bad name!.wav', content: mulaw },
    { name: 'conflict.wav', content: mulaw },
    { name: 'cut.wav', content: cut.subarray(0, cut.length - 150) },
    { name: 'empty.wav', content: Buffer.alloc(0) },
    { name: 'float.wav', content: buildWav({ formatTag: WavFormat.FLOAT, bitsPerSample: 32 }) },
    // 10.5 MB of silence: compressed, the fixture stays a few kilobytes.
    { name: 'huge.wav', content: buildWav({ frames: 11_010_048 - 44, seed: 0 }) },
    { name: 'notes.txt', content: Buffer.from('Record the prompts at 8 kHz.\n') },
    { name: 'prompts/nested.wav', content: mulaw },
    { name: 'song.wav', content: mp3Bytes() },
    { name: 'stub.wav', content: mulaw.subarray(0, 30) },
    { name: 'surround.wav', content: buildWav({ channels: 6 }) },
    { name: 'wideband.wav', content: buildWav({ formatTag: WavFormat.PCM, sampleRate: 16000 }) },
  ];
}

/** The error report the invalid fixture yields: Source File, Source Row (null: empty) and message, in report order. */
export function invalidAudioExpectations(): ExpectedRowError[] {
  const keep = 'an audio file may appear on one row of a job only, so keep one of these rows';
  return [
    {
      file: 'bad-description.wav',
      row: 2,
      message: `Description: '${LONG_DESCRIPTION.slice(0, 57)}...' is 256 characters long; the limit is 255`,
    },
    {
      file: 'audio-files.csv',
      row: 3,
      message:
        "Name: 'missing.wav' has no file in the zip; add missing.wav at the top level of the zip, or write DELETE in Action to delete the stored file",
    },
    {
      file: 'audio-files.csv',
      row: 4,
      message: "Name: no audio file 'ghost.wav' exists, so it cannot be deleted; check the name",
    },
    {
      file: 'audio-files.csv',
      row: 5,
      message: `Name: 'conflict.wav' is also in the zip as conflict.wav; ${keep}`,
    },
    {
      file: 'welcome.wav',
      row: 6,
      message:
        "Action: 'REMOVE' is not an action; leave it empty to create or update, or write DELETE",
    },
    // The entry point 'Main Line' of the valid fixtures plays it as music on hold.
    {
      file: 'audio-files.csv',
      row: 7,
      message:
        "Audio File 'defaultmusic_on_hold.wav' is used by entry point 'Main Line'; remove those references first",
    },
    {
      file: 'bad name!.wav',
      row: null,
      message:
        "Name: 'bad name!.wav' contains '!', which is not allowed; use letters, digits, spaces, '_', '-' and '.', starting with a letter or digit and ending in '.wav'",
    },
    {
      file: 'conflict.wav',
      row: null,
      message: `Name: 'conflict.wav' is also on row 5 of audio-files.csv; ${keep}`,
    },
    {
      file: 'cut.wav',
      row: null,
      message:
        'cut.wav: the data chunk declares 400 bytes of audio but the file ends after 250 of them, so it is incomplete; export or copy the file again',
    },
    {
      file: 'empty.wav',
      row: null,
      message: 'empty.wav: the file is empty; upload the recorded prompt itself',
    },
    {
      file: 'float.wav',
      row: null,
      message: `float.wav: the encoding is IEEE float (format tag 3); telephony prompts must be G.711 µ-law (recommended), G.711 A-law or 8/16-bit linear PCM — ${CONVERT}`,
    },
    {
      file: 'huge.wav',
      row: null,
      message: `huge.wav: the file is 10.5 MB; an audio file may be at most 10 MB (about 20 minutes of 8 kHz µ-law) — shorten the prompt or ${CONVERT}`,
    },
    {
      file: 'notes.txt',
      row: null,
      message:
        'notes.txt: only .wav files and the audio-files.csv manifest may be in an audio file zip; remove the file, or convert it to .wav',
    },
    {
      file: 'prompts/nested.wav',
      row: null,
      message:
        'prompts/nested.wav: the file is inside a folder of the zip; put the .wav files at the top level of the zip, next to audio-files.csv',
    },
    {
      file: 'song.wav',
      row: null,
      message:
        "song.wav: the file starts with 'ID3' instead of 'RIFF', so it is not a WAV file (the name alone does not make one); convert the file (e.g. sox in.mp3 -r 8000 -c 1 -e u-law out.wav)",
    },
    {
      file: 'stub.wav',
      row: null,
      message:
        'stub.wav: the file ends after 30 bytes, inside its WAV header, so it is incomplete; export or copy the file again',
    },
    {
      file: 'surround.wav',
      row: null,
      message: `surround.wav: the file has 6 channels; telephony prompts must have 1 (recommended) or 2 — ${CONVERT}`,
    },
    {
      file: 'wideband.wav',
      row: null,
      message: `wideband.wav: the sample rate is 16000 Hz; telephony prompts must be 8000 Hz — ${CONVERT}`,
    },
  ];
}
