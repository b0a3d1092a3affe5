/**
 * Several hundred KB of varied text, generated at test time from the two
 * committed slices (`test/fixtures/`) and a seeded generator: English prose,
 * classical Chinese, random code points from a dozen scripts and the
 * supplementary planes, emoji with skin tones, ZWJ sequences, flags and
 * keycaps, combining marks, control characters, digit and punctuation runs,
 * contractions in both cases, and whitespace runs of every kind (spaces,
 * tabs, CR LF, NBSP, U+3000, U+2028).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** The committed tinyshakespeare slice (32 KB, ASCII). */
export const shakespeareSlice = (): string =>
  readFileSync(`${fixtures}tinyshakespeare-32k.txt`, 'utf8');

/** The committed classical Chinese slice (3,000 characters). */
export const chineseSlice = (): string => readFileSync(`${fixtures}zh-classics-3k.txt`, 'utf8');

/** mulberry32: a small seeded PRNG giving floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Code point ranges to draw from: Latin-1 and Extended-A, Greek, Cyrillic, Hebrew, Arabic, Devanagari, Thai, Hangul, kana, CJK, symbols, supplementary planes. */
const RANGES: readonly (readonly [number, number])[] = [
  [0x00a0, 0x017f],
  [0x0370, 0x03ff],
  [0x0400, 0x04ff],
  [0x05d0, 0x05ea],
  [0x0620, 0x064a],
  [0x0900, 0x097f],
  [0x0e01, 0x0e5b],
  [0xac00, 0xd7a3],
  [0x3041, 0x30ff],
  [0x4e00, 0x9fff],
  [0x2000, 0x2bff],
  [0x1d400, 0x1d7ff],
  [0x1f300, 0x1faff],
  [0x20000, 0x2a6df],
];

const EMOJI = ['👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇯🇵', '🇫🇷', '1️⃣', '❤️', '🦙', '😀', '🤖', '🧑🏿‍💻'];
const WHITESPACE = [' ', ' ', ' ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\u2028', '\v', '\f'];
const WORDS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "n't", "don't", "O'er"];
const PUNCTUATION = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~—–…«»“”‘’¿¡';

/**
 * Generates varied text.
 * @param targetLength - stop once the text has at least this many UTF-16 units
 * @param seed - generator seed
 * @returns the text (well-formed: no lone surrogates)
 */
export function variedText(targetLength = 300_000, seed = 1): string {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const english = shakespeareSlice();
  const chinese = chineseSlice();
  const slice = (source: string, max: number) => {
    const start = int(source.length - max);
    return Array.from(source.slice(start, start + 1 + int(max)))
      .slice(1, -1)
      .join('');
  };
  const parts: string[] = [];
  let length = 0;
  while (length < targetLength) {
    let part: string;
    switch (int(10)) {
      case 0:
      case 1:
        part = slice(english, 400);
        break;
      case 2:
        part = slice(chinese, 120);
        break;
      case 3: {
        const [low, high] = pick(RANGES);
        part = Array.from({ length: 1 + int(12) }, () =>
          String.fromCodePoint(low + int(high - low + 1)),
        ).join('');
        break;
      }
      case 4:
        part = Array.from({ length: 1 + int(4) }, () => pick(EMOJI)).join(pick(['', ' ']));
        break;
      case 5:
        part = Array.from({ length: 1 + int(40) }, () => pick(WHITESPACE)).join('');
        break;
      case 6:
        part = `${pick(['e', 'a', 'o', 'n', 'A'])}\u0301${pick(['', '\u0308', '\u0323\u0302'])}${pick(WORDS)}`;
        break;
      case 7:
        part =
          String(int(10 ** (1 + int(12)))) +
          pick(['', '.', ',', '%']) +
          pick(['', String(int(1000))]);
        break;
      case 8:
        part = Array.from({ length: 1 + int(8) }, () => PUNCTUATION[int(PUNCTUATION.length)]).join(
          '',
        );
        break;
      default:
        part = Array.from({ length: 1 + int(10) }, () => String.fromCharCode(int(0x80))).join('');
    }
    parts.push(part, pick(WHITESPACE));
    length += part.length + 1;
  }
  return parts.join('');
}

/**
 * The path of `shared/data/<relative>` in the first folder above this
 * package that has it (the checkout's sibling `shared/`, as the repository
 * documents), or undefined.
 * @param relative - path inside `shared/data`
 */
export function sharedDataPath(relative: string): string | undefined {
  let dir = fileURLToPath(new URL('../../..', import.meta.url));
  for (let level = 0; level < 6; level++) {
    const candidate = `${dir}/shared/data/${relative}`;
    if (existsSync(candidate)) return candidate;
    dir = `${dir}/..`;
  }
  return undefined;
}
