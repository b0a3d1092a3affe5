import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuerySyntaxError } from '../errors.js';
import { parseQuery } from './parser.js';

const fields = ['title', 'text'];
const parse = (input: string) => parseQuery(input, { fields });

describe('parseQuery', () => {
  it('parses terms joined by the default operator OR', () => {
    expect(parse('vitamin bone')).toEqual({
      type: 'boolean',
      clauses: [
        { occur: 'should', query: { type: 'term', text: 'vitamin' } },
        { occur: 'should', query: { type: 'term', text: 'bone' } },
      ],
    });
    expect(parse('single')).toEqual({ type: 'term', text: 'single' });
  });

  it('gives AND precedence over OR', () => {
    const query = parse('a OR b AND c');
    expect(query).toEqual({
      type: 'boolean',
      clauses: [
        { occur: 'should', query: { type: 'term', text: 'a' } },
        {
          occur: 'should',
          query: {
            type: 'boolean',
            clauses: [
              { occur: 'must', query: { type: 'term', text: 'b' } },
              { occur: 'must', query: { type: 'term', text: 'c' } },
            ],
          },
        },
      ],
    });
  });

  it('parses +required, -excluded, NOT and !', () => {
    const query = parse('+a -b NOT c !d');
    expect(query.type === 'boolean' && query.clauses.map((clause) => clause.occur)).toEqual([
      'must',
      'mustNot',
      'mustNot',
      'mustNot',
    ]);
  });

  it('parses phrases with slop, fields, prefix, fuzzy and boosts', () => {
    expect(parse('"side effects"~2')).toEqual({ type: 'phrase', text: 'side effects', slop: 2 });
    expect(parse('title:vitamin^2.5')).toEqual({
      type: 'term',
      text: 'vitamin',
      field: 'title',
      boost: 2.5,
    });
    expect(parse('vitam*')).toEqual({ type: 'prefix', prefix: 'vitam' });
    expect(parse('vitamn~1')).toEqual({ type: 'fuzzy', text: 'vitamn', distance: 1 });
    expect(parse('vitamn~')).toEqual({ type: 'fuzzy', text: 'vitamn', distance: 2 });
    expect(parse('text:(a b)^3')).toMatchObject({
      type: 'boolean',
      boost: 3,
      clauses: [
        { occur: 'should', query: { type: 'term', text: 'a', field: 'text' } },
        { occur: 'should', query: { type: 'term', text: 'b', field: 'text' } },
      ],
    });
  });

  it('treats unknown field names and inner hyphens as text, and honours escapes', () => {
    expect(parse('ratio:1')).toEqual({ type: 'term', text: 'ratio:1' });
    expect(parse('covid-19')).toEqual({ type: 'term', text: 'covid-19' });
    expect(parse('a\\:b\\(c\\)')).toEqual({ type: 'term', text: 'a:b(c)' });
  });

  it('uses AND for juxtaposition when asked', () => {
    const query = parseQuery('a b', { defaultOperator: 'and' });
    expect(query.type === 'boolean' && query.clauses.map((clause) => clause.occur)).toEqual([
      'must',
      'must',
    ]);
  });

  it('returns an empty boolean query for empty input', () => {
    expect(parse('   ')).toEqual({ type: 'boolean', clauses: [] });
  });

  it.each([
    ['(a b', 4, '")"'],
    ['a AND', 5, 'a term, a phrase or "("'],
    ['"open phrase', 12, "a closing '\"' for the phrase opened at position 0"],
    ['a^', 2, 'a number (the boost) after "^"'],
    ['a)', 1, 'an operator, a term or end of query'],
    ['OR b', 0, 'a term, a phrase or "("'],
    ['"a b"~x', 6, 'a whole number (the phrase slop) after "~"'],
    ['a~3', 2, 'a fuzzy distance of 1 or 2'],
    ['()', 1, 'a query inside "( )"'],
  ])('reports %j at position %i', (input, position, expected) => {
    try {
      parse(input);
      expect.unreachable();
    } catch (error) {
      expect(QuerySyntaxError.isInstance(error)).toBe(true);
      const syntaxError = error as QuerySyntaxError;
      expect(syntaxError.position).toBe(position);
      expect(syntaxError.expected).toBe(expected);
      expect(syntaxError.message).toContain(`at position ${position}`);
    }
  });

  it('rejects absurd nesting with QuerySyntaxError, not a stack overflow', () => {
    expect(() => parse(`${'('.repeat(100_000)}a${')'.repeat(100_000)}`)).toThrow(QuerySyntaxError);
    expect(() => parse(`${'('.repeat(150)}a${')'.repeat(150)}`)).not.toThrow();
    for (const input of ['+'.repeat(10_000), 'title:'.repeat(10_000), '-'.repeat(10_000)]) {
      try {
        parse(input);
      } catch (error) {
        expect(QuerySyntaxError.isInstance(error)).toBe(true);
      }
    }
  });

  it('never throws anything but QuerySyntaxError on arbitrary strings', () => {
    const alphabet = fc.constantFrom(
      ...'ab :()"^~*+-!\\&|0123.'.split(''),
      'AND ',
      'OR ',
      'NOT ',
      'title:',
      '学',
    );
    const inputs = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 30 }),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        try {
          parse(input);
        } catch (error) {
          if (!QuerySyntaxError.isInstance(error)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
