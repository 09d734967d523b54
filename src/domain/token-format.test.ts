import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  BASE62_ALPHABET, generateTokenSecret, hashToken, isSameHash, isWellFormedToken, looksLikeToken, TOKEN_BODY_LENGTH,
  TOKEN_CHECKSUM_LENGTH, TOKEN_LENGTH, TOKEN_PREFIX, tokenChecksum,
} from './token-format.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Known vectors computed outside this code base, with Python:
 *   zlib.crc32(body.encode('ascii')) written in base 62 (alphabet above, most significant digit first, padded to 6).
 */
const KNOWN_VECTORS: ReadonlyArray<{ body: string; crc32: number; checksum: string }> = [
  { body: '000000000000000000000000000000', crc32: 2011552642, checksum: '2C8GjS' },
  { body: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', crc32: 830433819, checksum: '0uCPlr' },
  { body: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', crc32: 3941780757, checksum: '4IlJEz' },
  { body: '0123456789ABCDEFGHIJKLMNOPQRST', crc32: 4039328943, checksum: '4PMbyp' },
  { body: 'abcdefghijklmnopqrstuvwxyz0123', crc32: 2154666580, checksum: '2LolCm' },
  { body: 'TesseraKnownVector000000000001', crc32: 2380382430, checksum: '2b5qD0' },
  // A small CRC: the checksum needs two leading zeros of padding.
  { body: '000000000000000000000000000405', crc32: 8816593, checksum: '00azb7' },
];

/** A small seeded PRNG (mulberry32) so that a failing mutation can be replayed from the seed in the message. */
function seededRandom(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('token format constants', () => {
  test('match docs/token-format.md', () => {
    assert.equal(TOKEN_PREFIX, 'tsp_');
    assert.equal(TOKEN_BODY_LENGTH, 30);
    assert.equal(TOKEN_CHECKSUM_LENGTH, 6);
    assert.equal(TOKEN_LENGTH, 40);
    assert.equal(BASE62_ALPHABET, ALPHABET);
  });
});

describe('generateTokenSecret', () => {
  test('is tsp_ + 36 base62 characters, 40 in all, with a valid checksum', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateTokenSecret();
      assert.equal(token.length, 40);
      assert.ok(token.startsWith('tsp_'), token);
      assert.match(token, /^tsp_[0-9A-Za-z]{36}$/);
      assert.equal(token.slice(34), tokenChecksum(token.slice(4, 34)));
      assert.ok(isWellFormedToken(token), token);
      assert.ok(looksLikeToken(token));
    }
  });

  test('10,000 tokens are all different and their bodies use the whole alphabet', () => {
    const seen = new Set<string>();
    const characters = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const token = generateTokenSecret();
      seen.add(token);
      for (const c of token.slice(4, 34)) characters.add(c);
    }
    assert.equal(seen.size, 10_000);
    // 300,000 uniform draws from 62 characters: every one of them appears (missing one has odds of about e^-4800).
    assert.deepEqual([...characters].sort().join(''), [...ALPHABET].sort().join(''));
  });

  test('takes its characters from the injected digit source, in order', () => {
    const digits = Array.from({ length: 30 }, (_, i) => i);
    let next = 0;
    const token = generateTokenSecret(() => digits[next++]!);
    assert.equal(token, 'tsp_0123456789ABCDEFGHIJKLMNOPQRST4PMbyp');
    assert.equal(next, 30, 'draws exactly one digit per body character');
  });

  test('a digit source stuck at 0 gives the all-zero known vector', () => {
    assert.equal(generateTokenSecret(() => 0), 'tsp_0000000000000000000000000000002C8GjS');
  });
});

describe('tokenChecksum and isWellFormedToken on known vectors', () => {
  for (const vector of KNOWN_VECTORS) {
    test(`${vector.body} → ${vector.checksum}`, () => {
      assert.equal(tokenChecksum(vector.body), vector.checksum);
      // The literal is the base-62 form of the literal CRC, independently of the code under test.
      let value = 0;
      for (const c of vector.checksum) value = value * 62 + ALPHABET.indexOf(c);
      assert.equal(value, vector.crc32);
      assert.equal(isWellFormedToken(`tsp_${vector.body}${vector.checksum}`), true);
    });
  }
});

describe('isWellFormedToken rejects', () => {
  const valid = 'tsp_TesseraKnownVector0000000000012b5qD0';
  const cases: ReadonlyArray<[string, string]> = [
    ['empty', ''],
    ['the prefix alone', 'tsp_'],
    ['a wrong prefix', 'tsx_TesseraKnownVector0000000000012b5qD0'],
    ['an upper-case prefix', 'TSP_TesseraKnownVector0000000000012b5qD0'],
    ['GitHub\'s prefix', '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'],
    ['no prefix', 'TesseraKnownVector0000000000012b5qD0'],
    ['a wrong checksum', 'tsp_TesseraKnownVector0000000000012b5qD1'],
    ['another body\'s checksum', 'tsp_TesseraKnownVector0000000000012C8GjS'],
    ['an unpadded checksum', 'tsp_000000000000000000000000000405azb7'],
    ['one character too many', `${valid}0`],
    ['one character too few', valid.slice(0, -1)],
    ['a space inside', 'tsp_TesseraKnown ector0000000000012b5qD0'],
    ['a hyphen inside', 'tsp_TesseraKnown-ector0000000000012b5qD0'],
    ['a non-ASCII letter', 'tsp_TesseraKnownVéctor000000000012b5qD0'],
    ['a trailing newline', `${valid}\n`],
    ['a leading space', ` ${valid}`],
    ['whitespace of the right length', ' '.repeat(40)],
  ];
  for (const [name, candidate] of cases) {
    test(name, () => assert.equal(isWellFormedToken(candidate), false, JSON.stringify(candidate)));
  }
  test('the valid token those cases are made from is accepted', () => assert.equal(isWellFormedToken(valid), true));
});

describe('1,000 random mutations of valid tokens', () => {
  const NON_ALPHABET = ' -_+/=.:!~\né\u0000';
  const candidates = ALPHABET + NON_ALPHABET;
  type Mutation = (token: string, random: (n: number) => number) => string;
  const mutations: Record<string, Mutation> = {
    'change one character': (token, random) => {
      const at = random(token.length);
      return token.slice(0, at) + candidates[random(candidates.length)]! + token.slice(at + 1);
    },
    'swap two adjacent characters': (token, random) => {
      const at = random(token.length - 1);
      return token.slice(0, at) + token[at + 1]! + token[at]! + token.slice(at + 2);
    },
    'drop one character': (token, random) => {
      const at = random(token.length);
      return token.slice(0, at) + token.slice(at + 1);
    },
    'insert one character': (token, random) => {
      const at = random(token.length + 1);
      return token.slice(0, at) + candidates[random(candidates.length)]! + token.slice(at);
    },
    'truncate': (token, random) => token.slice(0, random(token.length)),
    'flip the case of one character': (token, random) => {
      const at = random(token.length);
      const c = token[at]!;
      const flipped = c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase();
      return token.slice(0, at) + flipped + token.slice(at + 1);
    },
  };
  const names = Object.keys(mutations);

  test('are all rejected offline; a mutation giving back the same string does not count', () => {
    const seed = randomInt(2 ** 31);
    const random = seededRandom(seed);
    const perKind = new Map<string, number>(names.map((name) => [name, 0]));
    let counted = 0;
    let attempts = 0;
    while (counted < 1000) {
      attempts += 1;
      assert.ok(attempts < 100_000, 'too many mutations gave back the original token');
      const token = generateTokenSecret(() => random(62));
      assert.ok(isWellFormedToken(token));
      const name = names[random(names.length)]!;
      const mutated = mutations[name]!(token, random);
      if (mutated === token) continue;
      counted += 1;
      perKind.set(name, perKind.get(name)! + 1);
      assert.equal(
        isWellFormedToken(mutated), false,
        `${name}: ${JSON.stringify(token)} → ${JSON.stringify(mutated)} was accepted (seed ${seed})`,
      );
    }
    for (const [name, count] of perKind) assert.ok(count > 50, `only ${count} mutations of kind "${name}" (seed ${seed})`);
  });

  test('every single-character change and every adjacent swap of one token is rejected', () => {
    const token = 'tsp_TesseraKnownVector0000000000012b5qD0';
    let checked = 0;
    for (let at = 0; at < token.length; at++) {
      for (const c of ALPHABET) {
        if (c === token[at]) continue;
        const mutated = token.slice(0, at) + c + token.slice(at + 1);
        assert.equal(isWellFormedToken(mutated), false, mutated);
        checked += 1;
      }
      if (at + 1 < token.length && token[at] !== token[at + 1]) {
        const swapped = token.slice(0, at) + token[at + 1]! + token[at]! + token.slice(at + 2);
        assert.equal(isWellFormedToken(swapped), false, swapped);
        checked += 1;
      }
    }
    assert.ok(checked > 40 * 60);
  });
});

describe('looksLikeToken', () => {
  test('is true for anything that starts with tsp_, well-formed or not', () => {
    assert.equal(looksLikeToken('tsp_'), true);
    assert.equal(looksLikeToken('tsp_nonsense'), true);
    assert.equal(looksLikeToken('hunter22'), false);
    assert.equal(looksLikeToken('TSP_0000'), false);
    assert.equal(looksLikeToken(' tsp_0000'), false);
  });
});

describe('hashToken', () => {
  test('is the SHA-256 of the whole token, lower-case hex (vectors from Python\'s hashlib)', () => {
    assert.equal(
      hashToken('tsp_0000000000000000000000000000002C8GjS'),
      '33e90dce062614d70496b7667cd4739de3236d1d26c33d95b4b47f77657b1de3',
    );
    assert.equal(hashToken(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('differs for tokens that differ in one character and never contains the token', () => {
    const token = generateTokenSecret();
    const other = token.slice(0, -1) + (token.endsWith('0') ? '1' : '0');
    assert.notEqual(hashToken(token), hashToken(other));
    assert.match(hashToken(token), /^[0-9a-f]{64}$/);
    assert.ok(!hashToken(token).includes(token.slice(4)));
  });
});

describe('isSameHash', () => {
  const a = hashToken('tsp_0000000000000000000000000000002C8GjS');
  const b = hashToken('tsp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0uCPlr');

  test('is true for the same digest', () => {
    assert.equal(isSameHash(a, a), true);
    assert.equal(isSameHash(a, `${a}`.slice(0)), true);
  });

  test('is false for different digests, including a one-nibble difference', () => {
    assert.equal(isSameHash(a, b), false);
    const lastNibble = a.at(-1) === '0' ? '1' : '0';
    assert.equal(isSameHash(a, a.slice(0, -1) + lastNibble), false);
  });

  test('is false, without throwing, for digests of different lengths', () => {
    assert.equal(isSameHash(a, a.slice(0, -2)), false);
    assert.equal(isSameHash(a, ''), false);
    assert.equal(isSameHash('', a), false);
  });

  test('is false for strings that are not whole hex digests, even when they decode alike', () => {
    // Buffer.from(x, 'hex') stops at the first bad character and ignores a trailing odd nibble.
    assert.equal(isSameHash('', ''), false);
    assert.equal(isSameHash('zz', 'yy'), false);
    assert.equal(isSameHash('abc', 'abd'), false);
    assert.equal(isSameHash(`${a}0`, `${a}f`), false);
    assert.equal(isSameHash(`${a.slice(0, 62)}zz`, `${a.slice(0, 62)}yy`), false);
  });
});
