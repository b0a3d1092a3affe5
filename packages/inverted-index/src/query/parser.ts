/**
 * The query language, a recursive-descent parser after Lucene's classic
 * syntax with plain precedence (OR < AND < unary):
 *
 *   query    := orExpr? EOF
 *   orExpr   := andExpr ((OR | '||' | juxtaposition) andExpr)*
 *   andExpr  := clause ((AND | '&&') clause)*
 *   clause   := ('+' | '-' | '!' | NOT)? primary
 *   primary  := (field ':')? ( '(' orExpr ')' | '"' words '"' ('~' slop)?
 *                            | term '*' | term '~' [1|2] | term ) ('^' boost)?
 *
 * Juxtaposition uses the default operator (OR unless told otherwise);
 * `field:` is recognized for known fields only (elsewhere `a:b` is text);
 * `\` escapes the next character. Every failure is a {@link QuerySyntaxError}
 * with the position and what was expected there.
 */

import { QuerySyntaxError } from '../errors.js';
import type { BooleanClause, BooleanQuery, Occur, Query } from './query.js';
import { MAX_QUERY_DEPTH } from './validate-query.js';

/** Options of {@link parseQuery}. */
export interface ParseOptions {
  /** Field names that `field:` may name. @default [] (any `name:` is then text) */
  fields?: readonly string[];
  /** What juxtaposed clauses mean: `or` (Lucene's default) or `and`. @default 'or' */
  defaultOperator?: 'or' | 'and';
}

/** Deepest nesting of parentheses accepted (the parser recurses once per level). */
const MAX_DEPTH = MAX_QUERY_DEPTH;

const SPECIAL = new Set(['(', ')', '"', '^', '~', ' ', '\t', '\n', '\r', '\f', '\v']);

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

class Parser {
  private at = 0;
  /** Open parentheses around the current position. */
  private depth = 0;
  private readonly fields: ReadonlySet<string>;
  private readonly defaultOccur: Occur;

  constructor(
    private readonly input: string,
    options: ParseOptions,
  ) {
    this.fields = new Set(options.fields ?? []);
    this.defaultOccur = options.defaultOperator === 'and' ? 'must' : 'should';
  }

  parse(): Query {
    this.skipSpace();
    if (this.at >= this.input.length) return { type: 'boolean', clauses: [] };
    const query = this.orExpr(undefined);
    this.skipSpace();
    if (this.at < this.input.length) this.fail('an operator, a term or end of query');
    return query;
  }

  private fail(expected: string): never {
    throw new QuerySyntaxError(this.input, this.at, expected, this.found());
  }

  /** What stands at the current position, in words: a keyword, a word, a character or the end. */
  private found(): string {
    if (this.at >= this.input.length) return 'end of query';
    for (const word of ['AND', 'OR', 'NOT', '&&', '||']) {
      const save = this.at;
      const isKeyword = this.keyword(word);
      this.at = save;
      if (isKeyword) return `the keyword ${word}`;
    }
    let end = this.at;
    while (end < this.input.length && !SPECIAL.has(this.input[end]!) && end - this.at < 30) end++;
    const text = this.input.slice(this.at, Math.max(end, this.at + 1));
    return JSON.stringify(text);
  }

  private skipSpace(): void {
    while (isSpace(this.input[this.at])) this.at++;
  }

  /** Consumes a keyword (AND, OR, NOT, &&, ||) when it stands alone there. */
  private keyword(word: string): boolean {
    if (!this.input.startsWith(word, this.at)) return false;
    const after = this.input[this.at + word.length];
    const symbolic = word === '&&' || word === '||';
    if (!symbolic && after !== undefined && !isSpace(after) && after !== '(' && after !== '"')
      return false;
    this.at += word.length;
    return true;
  }

  private atEndOfGroup(): boolean {
    return this.at >= this.input.length || this.input[this.at] === ')';
  }

  private orExpr(field: string | undefined): Query {
    const items: BooleanClause[] = [];
    items.push(this.andExpr(field, this.defaultOccur));
    for (;;) {
      this.skipSpace();
      if (this.atEndOfGroup()) break;
      const explicit = this.keyword('OR') || this.keyword('||');
      if (explicit) this.skipSpace();
      items.push(this.andExpr(field, explicit ? 'should' : this.defaultOccur));
    }
    if (items.length === 1 && items[0]!.occur !== 'mustNot') return items[0]!.query;
    return { type: 'boolean', clauses: items };
  }

  private andExpr(field: string | undefined, occur: Occur): BooleanClause {
    const first = this.clause(field, occur);
    const clauses: BooleanClause[] = [first];
    for (;;) {
      const save = this.at;
      this.skipSpace();
      if (this.keyword('AND') || this.keyword('&&')) {
        this.skipSpace();
        clauses.push(this.clause(field, 'must'));
      } else {
        this.at = save;
        break;
      }
    }
    if (clauses.length === 1) return first;
    const conjunction: BooleanQuery = {
      type: 'boolean',
      clauses: clauses.map((clause) => ({
        occur: clause.occur === 'mustNot' ? 'mustNot' : 'must',
        query: clause.query,
      })),
    };
    return { occur: occur === 'mustNot' ? 'should' : occur, query: conjunction };
  }

  private clause(field: string | undefined, occur: Occur): BooleanClause {
    const char = this.input[this.at];
    if (char === '+' || char === '-' || char === '!') {
      this.at++;
      return { occur: char === '+' ? 'must' : 'mustNot', query: this.primary(field) };
    }
    if (this.keyword('NOT')) {
      this.skipSpace();
      return { occur: 'mustNot', query: this.primary(field) };
    }
    if (this.input.startsWith('AND', this.at) || this.input.startsWith('OR', this.at)) {
      const save = this.at;
      if (this.keyword('AND') || this.keyword('OR')) {
        this.at = save;
        this.fail('a term, a phrase or "("');
      }
    }
    return { occur, query: this.primary(field) };
  }

  private primary(field: string | undefined): Query {
    this.skipSpace();
    const char = this.input[this.at];
    let query: Query;
    if (char === undefined || char === ')' || char === '^' || char === '~') {
      this.fail('a term, a phrase or "("');
    } else if (char === '(') {
      if (this.depth >= MAX_DEPTH) this.fail(`at most ${MAX_DEPTH} nested "("`);
      this.at++;
      this.depth++;
      this.skipSpace();
      if (this.input[this.at] === ')') this.fail('a query inside "( )"');
      query = this.orExpr(field);
      this.skipSpace();
      if (this.input[this.at] !== ')') this.fail('")"');
      this.depth--;
      this.at++;
    } else if (char === '"') {
      query = this.phrase(field);
    } else {
      const start = this.at;
      const text = this.word();
      if (this.input[this.at] === ':' && this.fields.has(text) && field === undefined) {
        this.at++;
        return this.primary(text);
      }
      if (text.length === 0) {
        this.at = start;
        this.fail('a term, a phrase or "("');
      }
      query = this.termSuffix(text, field);
    }
    return this.boost(query);
  }

  /** Reads a bare term: up to whitespace or a special character; `\` escapes. */
  private word(): string {
    let text = '';
    while (this.at < this.input.length) {
      const char = this.input[this.at]!;
      if (char === '\\') {
        if (this.at + 1 >= this.input.length) {
          this.at++;
          this.fail('a character after "\\"');
        }
        text += this.input[this.at + 1];
        this.at += 2;
        continue;
      }
      if (SPECIAL.has(char) || isSpace(char)) break;
      if (char === ':' && this.fields.has(text)) break;
      text += char;
      this.at++;
    }
    return text;
  }

  private termSuffix(text: string, field: string | undefined): Query {
    const withField = <T extends Query>(query: T): T =>
      field === undefined ? query : { ...query, field };
    if (text.endsWith('*') && text.length > 1 && !text.endsWith('\\*')) {
      return withField({ type: 'prefix', prefix: text.slice(0, -1) });
    }
    if (this.input[this.at] === '~') {
      this.at++;
      let distance = 2;
      const digit = this.input[this.at];
      if (digit !== undefined && /[0-9]/.test(digit)) {
        distance = Number(digit);
        this.at++;
        if (distance < 1 || distance > 2) {
          this.at--;
          this.fail('a fuzzy distance of 1 or 2');
        }
      }
      return withField({ type: 'fuzzy', text, distance });
    }
    return withField({ type: 'term', text });
  }

  private phrase(field: string | undefined): Query {
    const open = this.at;
    this.at++;
    let text = '';
    while (this.at < this.input.length && this.input[this.at] !== '"') {
      if (this.input[this.at] === '\\' && this.at + 1 < this.input.length) this.at++;
      text += this.input[this.at];
      this.at++;
    }
    if (this.at >= this.input.length) {
      throw new QuerySyntaxError(
        this.input,
        this.at,
        `a closing '"' for the phrase opened at position ${open}`,
        'end of query',
      );
    }
    this.at++;
    let slop = 0;
    if (this.input[this.at] === '~') {
      this.at++;
      const match = /^[0-9]+/.exec(this.input.slice(this.at));
      if (!match) this.fail('a whole number (the phrase slop) after "~"');
      slop = Number(match[0]);
      this.at += match[0].length;
    }
    return { type: 'phrase', text, slop, ...(field === undefined ? {} : { field }) };
  }

  private boost(query: Query): Query {
    if (this.input[this.at] !== '^') return query;
    this.at++;
    const match = /^[0-9]+(\.[0-9]+)?/.exec(this.input.slice(this.at));
    if (!match) this.fail('a number (the boost) after "^"');
    this.at += match[0].length;
    return { ...query, boost: (query.boost ?? 1) * Number(match[0]) };
  }
}

/**
 * Parses the query language into a {@link Query}.
 *
 * @param input - the query string
 * @param options - known field names and the default operator
 * @returns the query tree
 * @throws QuerySyntaxError with the position and what was expected there
 * @example
 * ```ts
 * parseQuery('title:vitamin^2 +"side effects"~1 -mouse', { fields: ['title'] });
 * // { type: 'boolean', clauses: [
 * //   { occur: 'should', query: { type: 'term', text: 'vitamin', field: 'title', boost: 2 } },
 * //   { occur: 'must', query: { type: 'phrase', text: 'side effects', slop: 1 } },
 * //   { occur: 'mustNot', query: { type: 'term', text: 'mouse' } } ] }
 * ```
 */
export function parseQuery(input: string, options: ParseOptions = {}): Query {
  return new Parser(input, options).parse();
}
