import { isEmail } from 'class-validator';
import { isEmailAddress } from './text.kind';

const full = (text: string) => isEmail(text, { allow_utf8_local_part: false, require_tld: true });

/** A small deterministic generator, so a failure names a string that reproduces. */
function* randomTexts(count: number, alphabet: string, maxLength: number): Generator<string> {
  let seed = 20261130;
  const next = () => {
    // xorshift32: integer-exact in JavaScript numbers.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  for (let n = 0; n < count; n += 1) {
    const length = next() % maxLength;
    let text = '';
    for (let i = 0; i < length; i += 1) text += alphabet[next() % alphabet.length];
    yield text;
  }
}

describe('email addresses', () => {
  const edges = [
    'agent1@example.com',
    'First.Last+tag@mail.example.co.uk',
    "o'brien@example.ie",
    'a@b.co',
    'a@b.c',
    'a..b@example.com',
    '.a@example.com',
    'a.@example.com',
    'a@-example.com',
    'a@example-.com',
    'a@ex_ample.com',
    'a@example.123',
    'a@example.xn--p1ai',
    'a@localhost',
    'a@@example.com',
    '"quoted local"@example.com',
    'ü@example.com',
    'a@exämple.com',
    `${'l'.repeat(64)}@example.com`,
    `${'l'.repeat(65)}@example.com`,
    `a@${'d'.repeat(63)}.com`,
    `a@${'d'.repeat(64)}.com`,
    `a@${Array.from({ length: 60 }, () => 'abcd').join('.')}.com`,
    'a@example.com.',
    'a b@example.com',
    '',
  ];

  it('accepts and refuses exactly what the full check does, on edge cases', () => {
    for (const text of edges) expect([text, isEmailAddress(text)]).toEqual([text, full(text)]);
    expect(isEmailAddress('agent1@example.com')).toBe(true);
    expect(isEmailAddress('a..b@example.com')).toBe(false);
  });

  it('accepts and refuses exactly what the full check does, on 60,000 generated texts', () => {
    const shaped = [...randomTexts(30000, 'ab1.-_+@@"ZÄ ', 24)];
    const addressLike = [...randomTexts(30000, 'abc', 8)].map((text, n) =>
      n % 3 === 0 ? `${text}@ex-${text}.com` : `${text}.x@${text || 'h'}.${'io-'.slice(n % 3)}`,
    );
    const differing = [...shaped, ...addressLike].filter((t) => isEmailAddress(t) !== full(t));
    expect(differing).toEqual([]);
    // The generated texts hold both answers, so the comparison says something.
    expect(addressLike.filter(isEmailAddress).length).toBeGreaterThan(1000);
    expect(addressLike.filter((t) => !isEmailAddress(t)).length).toBeGreaterThan(1000);
  });
});
