import { RiffWavCheck, type WavVerdict } from './riff-wav-check';

/** One RIFF chunk: id, little-endian size, body, pad byte when the body is odd. */
function chunk(id: string, body: Buffer, declaredSize = body.length): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(declaredSize, 4);
  return Buffer.concat([head, body, body.length % 2 === 1 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

interface Fmt {
  tag?: number;
  channels?: number;
  rate?: number;
  bits?: number;
  blockAlign?: number;
  extensibleTag?: number;
}

function fmt({
  tag = 7,
  channels = 1,
  rate = 8000,
  bits = 8,
  blockAlign,
  extensibleTag,
}: Fmt = {}): Buffer {
  const body = Buffer.alloc(extensibleTag === undefined ? 16 : 40);
  const align = blockAlign ?? (channels * bits) / 8;
  body.writeUInt16LE(extensibleTag === undefined ? tag : 0xfffe, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(rate, 4);
  body.writeUInt32LE(rate * align, 8);
  body.writeUInt16LE(align, 12);
  body.writeUInt16LE(bits, 14);
  if (extensibleTag !== undefined) {
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(extensibleTag, 24);
  }
  return chunk('fmt ', body);
}

function riff(form: string, ...chunks: Buffer[]): Buffer {
  const body = Buffer.concat(chunks);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length + 4, 4);
  head.write(form, 8, 'latin1');
  return Buffer.concat([head, body]);
}

/** Runs the check over `bytes` cut into pieces of `piece` bytes, as a stream would deliver them. */
function check(
  bytes: Buffer,
  piece = bytes.length || 1,
): { early: string | null; verdict: WavVerdict } {
  const wav = new RiffWavCheck();
  let early: string | null = null;
  for (let at = 0; at < bytes.length && early === null; at += piece)
    early = wav.push(bytes.subarray(at, at + piece));
  return { early, verdict: wav.finish() };
}

const audio = (bytes: number) => chunk('data', Buffer.alloc(bytes, 0xff));

describe('RiffWavCheck', () => {
  it.each([
    ['G.711 µ-law mono', fmt({ tag: 7 }), 'MULAW', 1, 8],
    ['G.711 A-law mono', fmt({ tag: 6 }), 'ALAW', 1, 8],
    ['8-bit linear PCM', fmt({ tag: 1, bits: 8 }), 'PCM', 1, 8],
    ['16-bit linear PCM', fmt({ tag: 1, bits: 16 }), 'PCM', 1, 16],
    ['2-channel µ-law', fmt({ tag: 7, channels: 2 }), 'MULAW', 2, 8],
    ['extensible µ-law', fmt({ extensibleTag: 7 }), 'MULAW', 1, 8],
  ])('accepts %s at 8000 Hz', (_name, format, encoding, channels, bits) => {
    const bytes = riff('WAVE', format, audio(800));
    for (const piece of [bytes.length, 7, 1]) {
      expect(check(bytes, piece)).toEqual({
        early: null,
        verdict: {
          ok: true,
          format: { encoding, sampleRate: 8000, channels, bitsPerSample: bits, dataBytes: 800 },
        },
      });
    }
  });

  it('skips chunks it does not need before and after the audio, odd sizes padded', () => {
    const bytes = riff(
      'WAVE',
      chunk('LIST', Buffer.from('INFOx')),
      fmt(),
      chunk('fact', Buffer.alloc(4)),
      audio(3),
      chunk('LIST', Buffer.alloc(9)),
    );
    expect(check(bytes, 5).verdict).toEqual({
      ok: true,
      format: expect.objectContaining({ dataBytes: 3 }),
    });
  });

  it('recognises an MP3 renamed to .wav from its first bytes and stops reading at once', () => {
    const mp3 = Buffer.concat([Buffer.from('ID3\u0004\u0000', 'latin1'), Buffer.alloc(2000, 0x55)]);
    const result = check(mp3, 512);
    expect(result.early).toBe(
      "the file starts with 'ID3' instead of 'RIFF', so it is not a WAV file (the name alone does not make one); convert the file (e.g. sox in.mp3 -r 8000 -c 1 -e u-law out.wav)",
    );
    expect(result.verdict).toEqual({ ok: false, problem: result.early });
    expect(check(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0])).verdict).toEqual({
      ok: false,
      problem: expect.stringContaining('starts with 0xFFFB9064 instead of'),
    });
    expect(check(Buffer.from('ID3', 'latin1')).verdict).toEqual({
      ok: false,
      problem: expect.stringContaining("starts with 'ID3' instead of 'RIFF'"),
    });
  });

  it('refuses a RIFF file of another form', () => {
    expect(check(riff('AVI ', audio(10))).verdict).toEqual({
      ok: false,
      problem:
        "the file is a RIFF file of type 'AVI ', not 'WAVE', so it is not a WAV file; convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)",
    });
  });

  it('refuses a sample rate other than 8000 Hz, before reading the audio', () => {
    const result = check(riff('WAVE', fmt({ tag: 1, bits: 16, rate: 16000 }), audio(32000)), 64);
    expect(result.early).toBe(
      'the sample rate is 16000 Hz; telephony prompts must be 8000 Hz — convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)',
    );
  });

  it('names an encoding it does not accept', () => {
    expect(check(riff('WAVE', fmt({ tag: 3, bits: 32 }), audio(40))).early).toBe(
      'the encoding is IEEE float (format tag 3); telephony prompts must be G.711 µ-law (recommended), G.711 A-law or 8/16-bit linear PCM — convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)',
    );
    expect(check(riff('WAVE', fmt({ tag: 0x1234 }), audio(40))).early).toContain(
      'the encoding is an unknown encoding (format tag 4660)',
    );
    expect(check(riff('WAVE', fmt({ extensibleTag: 3, bits: 32 }), audio(40))).early).toContain(
      'IEEE float (format tag 3)',
    );
  });

  it('refuses more than two channels and PCM of other widths', () => {
    expect(check(riff('WAVE', fmt({ channels: 6 }), audio(60))).early).toBe(
      'the file has 6 channels; telephony prompts must have 1 (recommended) or 2 — convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)',
    );
    expect(check(riff('WAVE', fmt({ tag: 1, bits: 24 }), audio(60))).early).toContain(
      'linear PCM with 24 bits per sample is not supported',
    );
    expect(check(riff('WAVE', fmt({ tag: 7, bits: 16 }), audio(60))).early).toContain(
      'G.711 µ-law must have 8 bits per sample, but the header says 16',
    );
    expect(check(riff('WAVE', fmt({ blockAlign: 3 }), audio(60))).early).toContain(
      'a sample frame is 3 bytes but 1 channel(s) of 8 bits make 1',
    );
  });

  it('refuses a file that ends inside its header, at any point', () => {
    const whole = riff('WAVE', fmt(), audio(100));
    for (const length of [4, 11, 12, 20, 38, 43]) {
      expect(check(whole.subarray(0, length)).verdict).toEqual({
        ok: false,
        problem: `the file ends after ${length} bytes, inside its WAV header, so it is incomplete; export or copy the file again`,
      });
    }
  });

  it('refuses a file whose audio is shorter than its data chunk declares', () => {
    const whole = riff('WAVE', fmt(), audio(100));
    expect(check(whole.subarray(0, whole.length - 40), 16).verdict).toEqual({
      ok: false,
      problem:
        'the data chunk declares 100 bytes of audio but the file ends after 60 of them, so it is incomplete; export or copy the file again',
    });
  });

  it('refuses an empty file, a file without audio and a data chunk smaller than one sample', () => {
    expect(check(Buffer.alloc(0)).verdict).toEqual({
      ok: false,
      problem: 'the file is empty; upload the recorded prompt itself',
    });
    expect(check(riff('WAVE', fmt())).verdict).toEqual({
      ok: false,
      problem:
        'the file has no data chunk, so it holds no audio; convert the file (e.g. sox in.wav -r 8000 -c 1 -e u-law out.wav)',
    });
    expect(check(riff('WAVE', fmt(), audio(0))).early).toBe(
      'the data chunk is empty, so the file holds no audio; record or export the prompt again',
    );
    expect(check(riff('WAVE', fmt({ tag: 1, bits: 16, channels: 2 }), audio(3))).early).toContain(
      'holds 3 bytes, less than one sample (4 bytes)',
    );
  });

  it('refuses audio placed before its fmt chunk and a fmt chunk of impossible size', () => {
    expect(check(riff('WAVE', audio(10), fmt())).early).toContain(
      'the audio data comes before the fmt chunk',
    );
    expect(check(riff('WAVE', chunk('fmt ', Buffer.alloc(8)), audio(10))).early).toContain(
      'the fmt chunk is 8 bytes long',
    );
  });
});
