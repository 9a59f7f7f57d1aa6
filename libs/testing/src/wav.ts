/** What a test WAV holds. Defaults: the recommended telephony prompt (8 kHz mono G.711 µ-law). */
export interface WavSpec {
  /** WAVE format tag: 7 µ-law, 6 A-law, 1 linear PCM, 3 IEEE float, … */
  formatTag?: number;
  sampleRate?: number;
  channels?: number;
  bitsPerSample?: number;
  /** Sample frames of audio. */
  frames?: number;
  /** Changes the tone, so files built from different seeds have different bytes. */
  seed?: number;
}

/** WAVE format tags by the encodings bulkops stores. */
export const WavFormat = { MULAW: 7, ALAW: 6, PCM: 1, FLOAT: 3 } as const;

/**
 * Builds a WAV file deterministically: a RIFF/WAVE header (16-byte fmt chunk) and a data chunk of a
 * tone whose pitch follows `seed`. The same spec always gives the same bytes, so fixtures can be
 * rebuilt and compared, and tests can craft exactly the header they need.
 */
export function buildWav(spec: WavSpec = {}): Buffer {
  const {
    formatTag = WavFormat.MULAW,
    sampleRate = 8000,
    channels = 1,
    frames = 800,
    seed = 1,
  } = spec;
  const bitsPerSample = spec.bitsPerSample ?? (formatTag === WavFormat.PCM ? 16 : 8);
  const bytesPerSample = Math.max(1, bitsPerSample / 8);
  const blockAlign = channels * bytesPerSample;
  const data = Buffer.alloc(frames * blockAlign);
  for (let frame = 0; frame < frames; frame += 1) {
    const level = Math.sin((2 * Math.PI * (220 + 37 * seed) * frame) / sampleRate);
    for (let channel = 0; channel < channels; channel += 1) {
      const at = frame * blockAlign + channel * bytesPerSample;
      if (bytesPerSample === 2) data.writeInt16LE(Math.round(level * 12000), at);
      else data[at] = (Math.round(level * 100) + 128) & 0xff;
    }
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bitsPerSample, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** The first bytes of an MP3 file (an ID3v2 tag, then a frame header): what a renamed MP3 holds. */
export function mp3Bytes(length = 2048): Buffer {
  const bytes = Buffer.alloc(length, 0x55);
  Buffer.from([
    0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xff, 0xfb, 0x90, 0x64,
  ]).copy(bytes);
  return bytes;
}
