/**
 * Bad input to the public API gets a named error that says which argument
 * (and which node of a query object) is wrong, and messages name what was
 * found (issue 19's probes).
 */
import { describe, expect, it } from 'vitest';
import { type Analyzer, createAnalyzer } from './analysis/analyzer.js';
import { InvalidArgumentError, QuerySyntaxError, ReentrancyError } from './errors.js';
import { InvertedIndex } from './inverted-index.js';
import { Q, type Query } from './query/query.js';
import { MAX_QUERY_DEPTH } from './query/validate-query.js';

const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title'] });
index.addAll([
  { id: 1, title: 'Robot arms', text: 'A robot arm in a factory.' },
  { id: 2, title: 'Robbery', text: 'The robbers ran.' },
]);

function caught(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('query arguments', () => {
  it('rejects a query that is neither a string nor a Query object', () => {
    for (const value of [42, null, undefined, true, ['robot']]) {
      const error = caught(() => index.search(value as unknown as string));
      expect(error.argument).toBe('query');
      expect(error.message).toMatch(/^search: query must be a query string or a Query object/);
    }
    expect(caught(() => index.search(42 as unknown as string)).message).toContain(
      'got 42 (number)',
    );
  });

  it('names the bad node of a query object', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { type: 'bogus' },
        'query.type',
        /query\.type must be one of term, phrase, prefix, fuzzy, boolean, got "bogus"/,
      ],
      [{ type: 'term' }, 'query.text', /query\.text must be a string, got undefined/],
      [{ type: 'term', text: 'a', boost: -1 }, 'query.boost', /boost must be a finite number >= 0/],
      [{ type: 'phrase', text: 'a b', slop: 1.5 }, 'query.slop', /slop must be a whole number/],
      [{ type: 'fuzzy', text: 'robbot', distance: 5 }, 'query.distance', /distance must be 1 or 2/],
      [{ type: 'boolean', clauses: 'x' }, 'query.clauses', /must be an array of clauses/],
      [
        { type: 'boolean', clauses: [{ occur: 'sometimes', query: Q.term('a') }] },
        'query.clauses[0].occur',
        /must, should or mustNot, got "sometimes"/,
      ],
      [
        Q.and(Q.term('robot'), { type: 'prefix' } as unknown as Query),
        'query.clauses[1].query.prefix',
        /query\.clauses\[1\]\.query\.prefix must be a string/,
      ],
    ];
    for (const [query, argument, message] of cases) {
      const error = caught(() => index.search(query as Query));
      expect(error.argument).toBe(argument);
      expect(error.message).toMatch(message);
    }
    expect(caught(() => index.explain(1, { type: 'bogus' } as unknown as Query)).op).toBe(
      'explain',
    );
    expect(caught(() => index.snippet(1, { type: 'bogus' } as unknown as Query)).op).toBe(
      'snippet',
    );
  });

  it('Q.fuzzy takes the distances the query language takes, 1 or 2', () => {
    expect(index.search(Q.fuzzy('robbot', 1)).map((hit) => hit.id)).toEqual([1]);
    expect(index.search(Q.fuzzy('robbot')).length).toBeGreaterThan(0);
    for (const distance of [5, 0, 3, 1.5, 'x', Number.NaN]) {
      const error = caught(() => Q.fuzzy('robbot', distance as number));
      expect(error.argument).toBe('distance');
      expect(error.message).toMatch(/^Q\.fuzzy: distance must be 1 or 2/);
    }
    expect(() => index.search('robbot~3')).toThrow(QuerySyntaxError);
    expect(caught(() => Q.term(7 as unknown as string)).message).toBe(
      'Q.term: text must be a string, got 7 (number)',
    );
  });

  it(`rejects boolean queries nested more than ${MAX_QUERY_DEPTH} deep, built or parsed`, () => {
    let deep: Query = Q.term('robot');
    for (let i = 0; i < MAX_QUERY_DEPTH; i++) deep = Q.or(deep);
    expect(index.search(deep).map((hit) => hit.id)).toEqual([1]);
    deep = Q.or(deep);
    expect(caught(() => index.search(deep)).message).toMatch(/nested at most 200 deep/);
    const parsedLimit = `${'('.repeat(MAX_QUERY_DEPTH)}robot${')'.repeat(MAX_QUERY_DEPTH)}`;
    expect(index.search(parsedLimit).map((hit) => hit.id)).toEqual([1]);
    expect(() => index.search(`(${parsedLimit})`)).toThrow(/at most 200 nested/);
  });
});

describe('query syntax messages', () => {
  it.each([
    ['AND', 'the keyword AND'],
    ['robot AND OR arm', 'the keyword OR'],
    ['OR', 'the keyword OR'],
    ['robot~3', '"3"'],
    ['robot) arm', '")"'],
    ['robot^boost', '"boost"'],
  ])('%j names what was found: %s', (query, found) => {
    try {
      index.search(query);
      throw new Error('expected a QuerySyntaxError');
    } catch (error) {
      expect(QuerySyntaxError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain(`found ${found}`);
    }
  });
});

describe('re-entrancy', () => {
  it('a custom analyzer calling back into its index gets ReentrancyError at once', () => {
    const plain = createAnalyzer({ stemmer: 'none' });
    let inner: (() => unknown) | null = null;
    const analyzer: Analyzer = {
      analyze: (text) => {
        if (inner) inner();
        return plain.analyze(text);
      },
      normalize: (term) => plain.normalize(term),
      describe: () => 'calls back',
    };
    const target = new InvertedIndex({ fields: ['text'], storeFields: ['text'], analyzer });
    target.add({ id: 1, text: 'robot arm' });
    const calls: [string, () => unknown][] = [
      ['search', () => target.search('arm')],
      ['add', () => target.add({ id: 2, text: 'x' })],
      ['remove', () => target.remove(1)],
      ['update', () => target.update({ id: 1, text: 'y' })],
      ['explain', () => target.explain(1, 'arm')],
      ['save', () => target.save()],
      ['compact', () => target.compact()],
    ];
    for (const [what, call] of calls) {
      for (const [outer, run] of [
        ['search', () => target.search('robot')],
        ['add', () => target.add({ id: 3, text: 'z' })],
        ['snippet', () => target.snippet(1, 'robot', { field: 'text' })],
      ] as const) {
        inner = call;
        let error: unknown = null;
        try {
          run();
        } catch (caught) {
          error = caught;
        }
        inner = null;
        expect(ReentrancyError.isInstance(error), `${what} in ${outer}: ${String(error)}`).toBe(
          true,
        );
        expect((error as Error).message).toMatch(
          new RegExp(`^${what}: called from inside ${outer}`),
        );
      }
    }
    expect(target.size).toBe(1);
    expect(target.search('robot').map((hit) => hit.id)).toEqual([1]);
    // a second index may be searched from inside the first one's analyzer
    inner = () => index.search('robot');
    expect(target.search('robot').map((hit) => hit.id)).toEqual([1]);
    inner = null;
  });
});
