#!/usr/bin/env node
// Writes audio-file.zip: four short telephony prompts (8 kHz mono G.711 µ-law, the encoding
// objects.md §17 recommends) synthesised from tones, and an audio-files.csv manifest with their
// descriptions. Deterministic: running it again gives the same bytes.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { ZipFile } = createRequire(import.meta.url)('yazl');
const RATE = 8000;

/** G.711 µ-law encoding of one 16-bit linear sample. */
function mulaw(sample) {
  const sign = sample < 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) + 0x84;
  let exponent = 7;
  for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** Notes as [frequency Hz (0 = silence), seconds]; each note fades in and out to avoid clicks. */
function prompt(notes) {
  const samples = [];
  for (const [frequency, seconds] of notes) {
    const count = Math.round(seconds * RATE);
    for (let i = 0; i < count; i += 1) {
      const envelope = Math.min(1, i / 200, (count - i) / 400);
      const tone =
        frequency === 0
          ? 0
          : Math.sin((2 * Math.PI * frequency * i) / RATE) +
            0.3 * Math.sin((4 * Math.PI * frequency * i) / RATE);
      samples.push(mulaw(Math.round(tone * envelope * 9000)));
    }
  }
  const data = Buffer.from(samples);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(7, 20); // format tag 7: µ-law
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const C5 = 523.25,
  E5 = 659.25,
  G5 = 783.99,
  A4 = 440,
  F4 = 349.23,
  D4 = 293.66,
  C6 = 1046.5;
const prompts = [
  [
    'welcome.wav',
    'Greeting played on every inbound line',
    [
      [C5, 0.25],
      [E5, 0.25],
      [G5, 0.5],
      [0, 0.3],
    ],
  ],
  [
    'hold_music.wav',
    'Music while a caller waits',
    [
      [C5, 0.4],
      [E5, 0.4],
      [G5, 0.4],
      [E5, 0.4],
      [F4, 0.4],
      [A4, 0.4],
      [C5, 0.8],
      [0, 0.2],
    ],
  ],
  [
    'after_hours.wav',
    'Played outside opening hours',
    [
      [G5, 0.4],
      [E5, 0.4],
      [C5, 0.8],
      [0, 0.3],
    ],
  ],
  [
    'queue_update.wav',
    'Reminder that the caller is still in the queue',
    [
      [C6, 0.15],
      [0, 0.1],
      [C6, 0.15],
      [0, 0.3],
      [D4, 0.2],
    ],
  ],
];

const zip = new ZipFile();
const mtime = new Date('2026-01-01T00:00:00Z');
const manifest = [
  'Name,Description',
  ...prompts.map(([name, description]) => `${name},${description}`),
].join('\r\n');
zip.addBuffer(Buffer.from(`\uFEFF${manifest}\r\n`), 'audio-files.csv', { mtime });
for (const [name, , notes] of prompts) zip.addBuffer(prompt(notes), name, { mtime });
zip.end();
const chunks = [];
for await (const chunk of zip.outputStream) chunks.push(chunk);
writeFileSync(join(here, 'audio-file.zip'), Buffer.concat(chunks));
console.log(`wrote ${join(here, 'audio-file.zip')} (${prompts.length} prompts)`);
