/**
 * Keys `__proto__`, `constructor` and `prototype` are ordinary data (issue
 * 19's probe): as field names, stored fields, document ids, option records
 * and snapshot content they are stored and returned as own properties, and
 * nothing reaches Object.prototype.
 */
import { afterEach, expect, it } from 'vitest';
import { InvertedIndex } from './inverted-index.js';

const KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** A plain object with these keys as own properties (a literal `{ __proto__: x }` would set the prototype). */
function withKeys(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

afterEach(() => {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
  expect(Object.keys(Object.prototype)).toEqual([]);
});

it('field names, stored fields, ids and option records', () => {
  const index = new InvertedIndex({
    fields: [...KEYS, 'text'],
    storeFields: [...KEYS, 'text'],
    boost: withKeys([
      ['__proto__', 2],
      ['constructor', 1.5],
      ['prototype', 1],
    ]) as Record<string, number>,
    b: withKeys([
      ['__proto__', 0.5],
      ['constructor', 0.6],
      ['prototype', 0.7],
      ['text', 0.75],
    ]) as Record<string, number>,
  });
  const document = withKeys([
    ['id', '__proto__'],
    ['__proto__', 'polluted value one'],
    ['constructor', 'value two'],
    ['prototype', 'value three'],
    ['text', 'plain text'],
  ]);
  index.add(document);
  index.add(
    withKeys([
      ['id', 'constructor'],
      ['text', 'second'],
      ['__proto__', { polluted: true }],
    ]),
  );
  expect(index.has('__proto__')).toBe(true);
  expect(index.has('toString')).toBe(false);
  const stored = index.get('__proto__')!;
  expect(Object.keys(stored).sort()).toEqual(['__proto__', 'constructor', 'prototype', 'text']);
  expect(Object.getOwnPropertyDescriptor(stored, '__proto__')!.value).toBe('polluted value one');
  expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
  const hits = index.search('__proto__:polluted');
  expect(hits.map((hit) => hit.id)).toEqual(['__proto__']);
  expect(
    index.search('value', { fields: ['constructor', 'prototype'] }).map((hit) => hit.id),
  ).toEqual(['__proto__']);
  expect(Object.getOwnPropertyDescriptor(index.get('constructor')!, '__proto__')!.value).toEqual({
    polluted: true,
  });
  const copy = InvertedIndex.load(index.save());
  expect(copy.get('__proto__')).toEqual(stored);
  expect(Object.getOwnPropertyDescriptor(copy.get('__proto__')!, '__proto__')!.value).toBe(
    'polluted value one',
  );
  expect(copy.search('__proto__:polluted')).toEqual(hits);
  index.remove('__proto__');
  expect(index.has('__proto__')).toBe(false);
});

it('the words themselves are ordinary terms', () => {
  const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
  index.add({ id: 1, text: '__proto__ constructor prototype hasOwnProperty toString valueOf' });
  for (const word of [
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'toString',
    'valueOf',
  ])
    expect(
      index.search(word).map((hit) => hit.id),
      word,
    ).toEqual([1]);
  expect(index.search('nothing')).toEqual([]);
  expect(index.snippet(1, 'constructor')).toContain('<mark>constructor</mark>');
});
