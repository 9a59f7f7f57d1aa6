/** How a stored prompt is encoded (objects.md §17). */
export type AudioEncoding = 'MULAW' | 'ALAW' | 'PCM';

/** What a WAV file holds, read from its RIFF header. */
export interface WavFormat {
  encoding: AudioEncoding;
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** Bytes of audio in the data chunk. */
  dataBytes: number;
}

/** The outcome of checking a whole file: its format, or why it is not a usable prompt. */
export type WavVerdict = { ok: true; format: WavFormat } | { ok: false; problem: string };

/** The conversion every message suggests, from a file named `source`: the recommended format of objects.md §17. */
export function convertHint(source = 'in.wav'): string {
  return `convert the file (e.g. sox ${source} -r 8000 -c 1 -e u-law out.wav)`;
}

const SAMPLE_RATE = 8000;

// WAVE format tags (RFC 2361); the names are only for messages.
const FORMAT_TAGS: Readonly<Record<number, string>> = {
  0x0001: 'linear PCM',
  0x0002: 'Microsoft ADPCM',
  0x0003: 'IEEE float',
  0x0006: 'G.711 A-law',
  0x0007: 'G.711 µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0055: 'MP3',
};
const EXTENSIBLE = 0xfffe;
const ACCEPTED: Readonly<Record<number, AudioEncoding>> = {
  0x0001: 'PCM',
  0x0006: 'ALAW',
  0x0007: 'MULAW',
};

// A fmt chunk is 16, 18 or 40 bytes; anything much larger is not a header we should buffer.
const MAX_FMT_BYTES = 1024;

type State = 'riff' | 'chunk-header' | 'fmt' | 'skip' | 'data' | 'done' | 'failed';

/** Shows the first bytes of a file the way a person can recognise them ('ID3', 0xFFFB…). */
function describeStart(bytes: Buffer): string {
  const head = bytes.subarray(0, 4);
  let printable = 0;
  for (const byte of head) {
    if (byte < 0x20 || byte >= 0x7f) break;
    printable += 1;
  }
  return printable >= 3
    ? `'${head.subarray(0, printable).toString('latin1')}'`
    : `0x${head.toString('hex').toUpperCase()}`;
}

/**
 * Checks a WAV file from its bytes, never from its name (objects.md §17): a RIFF/WAVE container whose
 * fmt chunk says G.711 µ-law, G.711 A-law or 8/16-bit linear PCM at 8000 Hz with 1 or 2 channels,
 * followed by a data chunk holding at least one whole sample frame and all the bytes it declares.
 *
 * It reads a stream piece by piece and keeps only the header bytes it still needs (at most a fmt
 * chunk), so a 10 MB file passes through without being held. `push` answers a problem as soon as the
 * header rules the file out, so a caller can stop reading early; `finish` gives the verdict.
 */
export class RiffWavCheck {
  private state: State = 'riff';
  private pending = Buffer.alloc(0);
  private seen = 0;
  private need = 12;
  private skipRemaining = 0;
  private dataRemaining = 0;
  private chunkSize = 0;
  private format: Omit<WavFormat, 'dataBytes'> | null = null;
  private blockAlign = 0;
  private dataBytes = 0;
  private failure: string | null = null;

  /** Feeds the next bytes; answers why the file is unusable once that is certain, else null. */
  push(chunk: Buffer): string | null {
    if (this.state === 'failed') return this.failure;
    this.seen += chunk.length;
    let input = chunk;
    while (input.length > 0 && this.state !== 'done') {
      if (this.state === 'skip' || this.state === 'data') {
        const remaining = this.state === 'skip' ? this.skipRemaining : this.dataRemaining;
        const taken = Math.min(remaining, input.length);
        input = input.subarray(taken);
        if (this.state === 'skip') {
          this.skipRemaining -= taken;
          if (this.skipRemaining === 0) this.expect('chunk-header', 8);
        } else {
          this.dataRemaining -= taken;
          // What follows the audio (LIST and other trailing chunks) does not matter.
          if (this.dataRemaining === 0) this.state = 'done';
        }
        continue;
      }
      const wanted = this.need - this.pending.length;
      this.pending = Buffer.concat([this.pending, input.subarray(0, wanted)]);
      input = input.subarray(wanted);
      if (
        this.state === 'riff' &&
        this.pending.length >= 4 &&
        this.pending.subarray(0, 4).toString('latin1') !== 'RIFF'
      ) {
        return this.fail(this.notWav(this.pending));
      }
      if (this.pending.length < this.need) break;
      const header = this.pending;
      this.pending = Buffer.alloc(0);
      const problem = this.consume(header);
      if (problem !== null) return this.fail(problem);
    }
    return null;
  }

  /** After the last byte: the format of the file, or why it is not a usable prompt. */
  finish(): WavVerdict {
    if (this.state === 'failed') return { ok: false, problem: this.failure! };
    if (this.seen === 0) {
      return { ok: false, problem: 'the file is empty; upload the recorded prompt itself' };
    }
    if (this.state === 'data') {
      const present = this.dataBytes - this.dataRemaining;
      return {
        ok: false,
        problem: `the data chunk declares ${this.dataBytes} bytes of audio but the file ends after ${present} of them, so it is incomplete; export or copy the file again`,
      };
    }
    if (
      this.state === 'riff' &&
      !'RIFF'.startsWith(this.pending.subarray(0, 4).toString('latin1'))
    ) {
      return { ok: false, problem: this.notWav(this.pending) };
    }
    if (this.state !== 'done') {
      if (this.state === 'chunk-header' && this.pending.length === 0 && this.format !== null) {
        return {
          ok: false,
          problem: `the file has no data chunk, so it holds no audio; ${convertHint()}`,
        };
      }
      return {
        ok: false,
        problem: `the file ends after ${this.seen} bytes, inside its WAV header, so it is incomplete; export or copy the file again`,
      };
    }
    return { ok: true, format: { ...this.format!, dataBytes: this.dataBytes } };
  }

  private expect(state: State, bytes: number): void {
    this.state = state;
    this.need = bytes;
  }

  private fail(problem: string): string {
    this.state = 'failed';
    this.failure = problem;
    this.pending = Buffer.alloc(0);
    return problem;
  }

  private notWav(start: Buffer): string {
    return `the file starts with ${describeStart(start)} instead of 'RIFF', so it is not a WAV file (the name alone does not make one); ${convertHint('in.mp3')}`;
  }

  /** Handles one complete header piece; answers a problem or null. */
  private consume(header: Buffer): string | null {
    switch (this.state) {
      case 'riff': {
        const form = header.subarray(8, 12).toString('latin1');
        if (form !== 'WAVE') {
          return `the file is a RIFF file of type ${describeStart(header.subarray(8, 12))}, not 'WAVE', so it is not a WAV file; ${convertHint()}`;
        }
        this.expect('chunk-header', 8);
        return null;
      }
      case 'chunk-header': {
        const id = header.subarray(0, 4).toString('latin1');
        const size = header.readUInt32LE(4);
        if (id === 'fmt ') {
          if (size < 16 || size > MAX_FMT_BYTES) {
            return `the fmt chunk is ${size} bytes long, which no WAV file has, so the header is damaged; export the file again`;
          }
          this.chunkSize = size;
          // Chunks are padded to an even length.
          this.expect('fmt', size + (size % 2));
          return null;
        }
        if (id === 'data') {
          if (this.format === null) {
            return 'the audio data comes before the fmt chunk that describes it, so it is not a valid WAV file; export the file again';
          }
          if (size < this.blockAlign) {
            return size === 0
              ? 'the data chunk is empty, so the file holds no audio; record or export the prompt again'
              : `the data chunk holds ${size} bytes, less than one sample (${this.blockAlign} bytes), so the file holds no audio; record or export the prompt again`;
          }
          this.dataBytes = size;
          this.dataRemaining = size;
          this.state = 'data';
          return null;
        }
        this.skipRemaining = size + (size % 2);
        if (this.skipRemaining === 0) this.expect('chunk-header', 8);
        else this.state = 'skip';
        return null;
      }
      case 'fmt': {
        const problem = this.readFormat(header.subarray(0, this.chunkSize));
        if (problem !== null) return problem;
        this.expect('chunk-header', 8);
        return null;
      }
      case 'skip':
      case 'data':
      case 'done':
      case 'failed':
        // These states count bytes in `push`; they never wait for a header piece.
        return null;
    }
  }

  /** Reads a fmt chunk body and checks it against the telephony rules. */
  private readFormat(fmt: Buffer): string | null {
    let tag = fmt.readUInt16LE(0);
    const channels = fmt.readUInt16LE(2);
    const sampleRate = fmt.readUInt32LE(4);
    const blockAlign = fmt.readUInt16LE(12);
    const bitsPerSample = fmt.readUInt16LE(14);
    // WAVE_FORMAT_EXTENSIBLE carries the real tag in the first two bytes of its sub-format GUID.
    if (tag === EXTENSIBLE && fmt.length >= 26) tag = fmt.readUInt16LE(24);
    const encoding = ACCEPTED[tag];
    if (encoding === undefined) {
      const name = FORMAT_TAGS[tag] ?? 'an unknown encoding';
      return `the encoding is ${name} (format tag ${tag}); telephony prompts must be G.711 µ-law (recommended), G.711 A-law or 8/16-bit linear PCM — ${convertHint()}`;
    }
    if (sampleRate !== SAMPLE_RATE) {
      return `the sample rate is ${sampleRate} Hz; telephony prompts must be ${SAMPLE_RATE} Hz — ${convertHint()}`;
    }
    if (channels !== 1 && channels !== 2) {
      return `the file has ${channels} channels; telephony prompts must have 1 (recommended) or 2 — ${convertHint()}`;
    }
    const allowedBits = encoding === 'PCM' ? [8, 16] : [8];
    if (!allowedBits.includes(bitsPerSample)) {
      return encoding === 'PCM'
        ? `linear PCM with ${bitsPerSample} bits per sample is not supported; use 8 or 16 bits, or better G.711 µ-law — ${convertHint()}`
        : `${FORMAT_TAGS[tag]} must have 8 bits per sample, but the header says ${bitsPerSample}, so it is damaged; export the file again`;
    }
    const frame = (channels * bitsPerSample) / 8;
    if (blockAlign !== frame) {
      return `the header says a sample frame is ${blockAlign} bytes but ${channels} channel(s) of ${bitsPerSample} bits make ${frame}, so it is damaged; export the file again`;
    }
    this.format = { encoding, sampleRate, channels, bitsPerSample };
    this.blockAlign = blockAlign;
    return null;
  }
}
