/**
 * Query parser fuzz (issue 19's probe): random strings over the query
 * language's special characters, keywords, NUL, lone surrogates, RTL and
 * other format marks, CJK and emoji, plus adversarial shapes (deep
 * nesting, 10,000-term queries, unbalanced quotes and brackets, long runs of
 * operators). Every string either searches or raises QuerySyntaxError,
 * within one second. Nesting is limited to 200 parentheses (MAX_QUERY_DEPTH).
 * 3,000 random strings here (seed 19); `npm run fuzz` runs 20 times as many.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzScale } from '../../../../scripts/test-support/format-fuzz.js';
import { QuerySyntaxError } from '../errors.js';
import { InvertedIndex } from '../inverted-index.js';
import { parseQuery } from './parser.js';
import { MAX_QUERY_DEPTH } from './validate-query.js';

const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title'] });
index.addAll([
  { id: 1, title: 'Robot arms', text: 'A robot arm in a factory; 学而时习之.' },
  { id: 2, title: 'Robbery', text: 'The robbers ran. مرحبا 😀' },
  { id: 3, title: 'AND OR NOT', text: 'keywords as text' },
]);

/** Searches, returning 'ok' or 'syntax error'; anything else is thrown to the test. */
function outcome(query: string): 'ok' | 'syntax error' {
  const started = performance.now();
  try {
    index.search(query, { k: 5 });
    return 'ok';
  } catch (error) {
    if (QuerySyntaxError.isInstance(error)) {
      expect(error.position).toBeGreaterThanOrEqual(0);
      expect(error.position).toBeLessThanOrEqual(query.length);
      return 'syntax error';
    }
    throw error;
  } finally {
    expect(performance.now() - started, JSON.stringify(query.slice(0, 80))).toBeLessThan(1000);
  }
}

const PIECES = [
  '(',
  ')',
  '"',
  '~',
  '~1',
  '~2',
  '~9',
  '^',
  '^2',
  '^x',
  '*',
  ':',
  'title:',
  'text:',
  'nofield:',
  '+',
  '-',
  '!',
  '\\',
  ' ',
  '\t',
  '\n',
  'AND',
  'OR',
  'NOT',
  '&&',
  '||',
  'and',
  'robot',
  'arm',
  'rob*',
  'robbot~',
  '\u0000',
  '\uD800',
  '\uDC00',
  '\uDBFF\uDFFF',
  '\u200F',
  '\u202E',
  '\u2067',
  '\u200B',
  '\uFEFF',
  '学',
  '学而',
  '😀',
  'مرحبا',
  '1:2',
  '3.5%',
  "'",
  '`',
  '{',
  '}',
  '[',
  ']',
];

describe('query parser fuzz', () => {
  it('random strings search or raise QuerySyntaxError, each within a second', () => {
    const counts = { ok: 0, 'syntax error': 0 };
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join('')),
          fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join(' ')),
          fc.string({ unit: 'binary', maxLength: 60 }),
        ),
        (query) => {
          counts[outcome(query)]++;
        },
      ),
      { seed: 19, numRuns: 3000 * fuzzScale() },
    );
    console.log(
      `query parser fuzz: ${3000 * fuzzScale()} random strings, ${counts.ok} searched, ${counts['syntax error']} syntax errors`,
    );
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts['syntax error']).toBeGreaterThan(100);
  });

  it.each([
    [
      'nesting at the limit',
      `${'('.repeat(MAX_QUERY_DEPTH)}robot${')'.repeat(MAX_QUERY_DEPTH)}`,
      'ok',
    ],
    [
      'nesting past the limit',
      `${'('.repeat(MAX_QUERY_DEPTH + 1)}robot${')'.repeat(MAX_QUERY_DEPTH + 1)}`,
      'syntax error',
    ],
    ['10,000 open parentheses', '('.repeat(10_000), 'syntax error'],
    ['10,000 terms', Array.from({ length: 10_000 }, (_, i) => `w${i}`).join(' '), 'ok'],
    [
      '10,000 terms with AND',
      Array.from({ length: 10_000 }, (_, i) => `w${i}`).join(' AND '),
      'ok',
    ],
    ['10,000 quotes', '"'.repeat(10_000), 'ok'],
    ['10,001 quotes', '"'.repeat(10_001), 'syntax error'],
    ['unbalanced quote', '"robot arm', 'syntax error'],
    ['unbalanced bracket', 'robot (arm', 'syntax error'],
    ['closing bracket', 'robot) arm', 'syntax error'],
    ['5,000 NOTs', `${'NOT '.repeat(5000)}robot`, 'ok'],
    ['5,000 signs', `${'+-'.repeat(5000)}robot`, 'ok'],
    ['a 100,000-character word', 'r'.repeat(100_000), 'ok'],
    ['NUL', 'robot\u0000arm', 'ok'],
    ['lone surrogates', '\uD800robot\uDC00 \uDBFF', 'ok'],
    ['RTL marks', '\u202Erobot\u200F arm\u2067', 'ok'],
    ['fields chained', 'title:text:title:robot', 'ok'],
    ['only operators', 'AND OR NOT && ||', 'syntax error'],
  ])('%s', (_name, query, expected) => {
    expect(outcome(query)).toBe(expected);
    if (expected === 'ok')
      expect(() => parseQuery(query, { fields: ['title', 'text'] })).not.toThrow();
  });
});
