/**
 * A Unicode word tokenizer after UAX #29 word boundaries, as Lucene's
 * StandardTokenizer applies them:
 *
 * - letters and digits join into one token (`covid19`, `h1n1`), and so does
 *   the connector `_`; combining marks and format characters stay inside;
 * - `'` `’` `.` join letters to letters or digits to digits (`don't`,
 *   `u.s.a`, `3.14`); `:` `·` join letters (`a:b`); `,` `;` join digits
 *   (`1,000`); anything else, hyphens included, splits (`wi-fi` -> `wi`, `fi`);
 * - each Han ideograph and each Hiragana character is a token of its own,
 *   Katakana and Hangul runs are one token each (CJK filters rework them);
 * - tokens longer than 255 UTF-16 units are split, as Lucene's default
 *   `maxTokenLength` does.
 *
 * Reference: Unicode Standard Annex #29 "Unicode Text Segmentation", section 4
 * (rules WB4-WB13a); Lucene `StandardTokenizerImpl.jflex`.
 */

import { type TermCache, termHash } from './term-cache.js';
import { TokenKind as Kind, type TokenKind, type TokenStream } from './token-stream.js';

const OTHER = 0;
const LETTER = 1;
const DIGIT = 2;
const CONNECTOR = 3;
const HAN = 4;
const HIRAGANA = 5;
const KATAKANA = 6;
const HANGUL = 7;
const MID_LETTER = 8;
const MID_NUM = 9;
const MID_NUM_LET = 10;
const EXTEND = 11;
const UNKNOWN = 255;

const MAX_TOKEN_LENGTH = 255;

const hanPattern = /\p{Script=Han}/u;
const hiraganaPattern = /\p{Script=Hiragana}/u;
const katakanaPattern = /[\p{Script=Katakana}\u30fc\uff70]/u;
const hangulPattern = /\p{Script=Hangul}/u;
const letterPattern = /\p{L}/u;
const digitPattern = /\p{Nd}/u;
const extendPattern = /[\p{M}\p{Cf}]/u;
const connectorPattern = /\p{Pc}/u;
const midLetterPattern = /[\u00b7\u0387\u05f4\u2027\ufe13\ufe55\uff1a]/u;
const midNumPattern =
  /[\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b]/u;
const midNumLetPattern = /[\u2018\u2019\u2024\ufe52\uff07\uff0e]/u;

function classifySlow(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  if (hanPattern.test(char)) return HAN;
  if (hiraganaPattern.test(char)) return HIRAGANA;
  if (katakanaPattern.test(char)) return KATAKANA;
  if (hangulPattern.test(char)) return HANGUL;
  if (letterPattern.test(char)) return LETTER;
  if (digitPattern.test(char)) return DIGIT;
  if (extendPattern.test(char)) return EXTEND;
  if (connectorPattern.test(char)) return CONNECTOR;
  if (midLetterPattern.test(char)) return MID_LETTER;
  if (midNumPattern.test(char)) return MID_NUM;
  if (midNumLetPattern.test(char)) return MID_NUM_LET;
  return OTHER;
}

/** Classes of the Basic Multilingual Plane, filled lazily; astral planes go through a map. */
const bmpClasses = new Uint8Array(0x10000).fill(UNKNOWN);
const astralClasses = new Map<number, number>();
for (let c = 0; c < 128; c++) bmpClasses[c] = OTHER;
for (let c = 0x61; c <= 0x7a; c++) bmpClasses[c] = LETTER;
for (let c = 0x41; c <= 0x5a; c++) bmpClasses[c] = LETTER;
for (let c = 0x30; c <= 0x39; c++) bmpClasses[c] = DIGIT;
bmpClasses[0x5f] = CONNECTOR; // _
bmpClasses[0x3a] = MID_LETTER; // :
bmpClasses[0x2c] = MID_NUM; // ,
bmpClasses[0x3b] = MID_NUM; // ;
bmpClasses[0x2e] = MID_NUM_LET; // .
bmpClasses[0x27] = MID_NUM_LET; // '

function classify(codePoint: number): number {
  if (codePoint < 0x80) return bmpClasses[codePoint]!;
  if (codePoint < 0x10000) {
    let cls = bmpClasses[codePoint]!;
    if (cls === UNKNOWN) {
      cls = codePoint >= 0xd800 && codePoint <= 0xdfff ? OTHER : classifySlow(codePoint);
      bmpClasses[codePoint] = cls;
    }
    return cls;
  }
  let cls = astralClasses.get(codePoint);
  if (cls === undefined) {
    cls = classifySlow(codePoint);
    astralClasses.set(codePoint, cls);
  }
  return cls;
}

function codePointAt(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800) return unit;
  if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
    const low = text.charCodeAt(index + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return unit;
}

/**
 * Appends one token (split into pieces of at most MAX_TOKEN_LENGTH), its
 * word mapped through `words` when given; a word mapped to null is dropped.
 * @returns the next position
 */
function pushToken(
  out: TokenStream,
  text: string,
  start: number,
  end: number,
  kind: TokenKind,
  position: number,
  words?: TermCache,
): number {
  while (start < end) {
    let cut = Math.min(end, start + MAX_TOKEN_LENGTH);
    if (cut < end) {
      const unit = text.charCodeAt(cut - 1);
      if (unit >= 0xd800 && unit <= 0xdbff) cut--;
    }
    const term = words
      ? words.get(text, start, cut, termHash(text, start, cut))
      : text.slice(start, cut);
    if (term !== null) {
      out.positions.push(position);
      out.terms.push(term);
      out.starts.push(start);
      out.ends.push(cut);
      out.kinds.push(kind);
    }
    position++;
    start = cut;
  }
  return position;
}

function isWordClass(cls: number): boolean {
  return cls === LETTER || cls === DIGIT || cls === CONNECTOR;
}

/**
 * Splits `text` into word tokens after UAX #29, like Lucene's StandardTokenizer
 * (the terms keep their case; a lowercase filter comes later).
 *
 * @param text - the text to split
 * @param words - optional: analyzes word tokens on the fly (analyzers pass
 *   their per-term filters here); a word it maps to null is dropped and
 *   leaves a position gap
 * @returns the tokens with positions 0, 1, 2, ... and UTF-16 offsets
 * @example
 * ```ts
 * standardTokenize("Wi-Fi costs $1,000.50 in the U.S.A. 你好").terms;
 * // ['Wi', 'Fi', 'costs', '1,000.50', 'in', 'the', 'U.S.A', '你', '好']
 * ```
 */
export function standardTokenize(text: string, words?: TermCache): TokenStream {
  const terms: string[] = [];
  const positions: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const kinds: TokenKind[] = [];
  const out: TokenStream = { terms, positions, starts, ends, kinds };
  let position = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const codePoint = codePointAt(text, i);
    const width = codePoint > 0xffff ? 2 : 1;
    const cls = classify(codePoint);
    if (isWordClass(cls)) {
      const start = i;
      let last = cls; // class of the last letter/digit/connector seen
      i += width;
      for (;;) {
        if (i >= length) break;
        const next = codePointAt(text, i);
        const nextWidth = next > 0xffff ? 2 : 1;
        const nextCls = classify(next);
        if (isWordClass(nextCls)) {
          last = nextCls;
          i += nextWidth;
          continue;
        }
        if (nextCls === EXTEND) {
          i += nextWidth;
          continue;
        }
        if (nextCls === MID_LETTER || nextCls === MID_NUM || nextCls === MID_NUM_LET) {
          const after = i + nextWidth;
          if (after >= length) break;
          const afterCls = classify(codePointAt(text, after));
          const joinsLetters = last === LETTER && afterCls === LETTER && nextCls !== MID_NUM;
          const joinsDigits = last === DIGIT && afterCls === DIGIT && nextCls !== MID_LETTER;
          if (joinsLetters || joinsDigits) {
            i = after;
            continue;
          }
        }
        break;
      }
      position = pushToken(out, text, start, i, Kind.word, position, words);
    } else if (cls === HAN || cls === HIRAGANA) {
      position = pushToken(
        out,
        text,
        i,
        i + width,
        cls === HAN ? Kind.han : Kind.hiragana,
        position,
      );
      i += width;
      while (i < length && classify(codePointAt(text, i)) === EXTEND) i++;
    } else if (cls === KATAKANA || cls === HANGUL) {
      const start = i;
      i += width;
      for (;;) {
        if (i >= length) break;
        const next = codePointAt(text, i);
        const nextCls = classify(next);
        if (nextCls !== cls && nextCls !== EXTEND) break;
        i += next > 0xffff ? 2 : 1;
      }
      position = pushToken(
        out,
        text,
        start,
        i,
        cls === KATAKANA ? Kind.katakana : Kind.hangul,
        position,
      );
    } else {
      i += width;
    }
  }
  return out;
}
