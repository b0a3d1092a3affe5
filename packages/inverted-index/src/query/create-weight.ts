/**
 * Binds a {@link Query} to the index: resolves fields, analyzes texts with
 * each field's analyzer (fields that share an analyzer are scored together
 * with BM25F), expands prefix and fuzzy terms, and builds the weight tree.
 */

import type { Analyzer } from '../analysis/analyzer.js';
import type { TokenStream } from '../analysis/token-stream.js';
import { OptionError } from '../errors.js';
import { BooleanWeight, type WeightClause } from './boolean-weight.js';
import type { Query } from './query.js';
import { fuzzyTerms, termsWithPrefix } from './term-expansion.js';
import {
  EMPTY_QUERY,
  NO_MATCH,
  PhraseWeight,
  type SearchContext,
  TermWeight,
  type Weight,
} from './weight.js';

function resolveFields(context: SearchContext, field: string | undefined, op: string): number[] {
  if (field === undefined) return [...context.defaultFields];
  const index = context.fieldNames.indexOf(field);
  if (index < 0) {
    throw new OptionError(
      op,
      `unknown field '${field}' (fields: ${context.fieldNames.join(', ')})`,
      field,
    );
  }
  return [index];
}

/**
 * Fields grouped by analyzer (the same instance, or the same config), so
 * each group analyzes a text once and its fields are scored together.
 */
function groupByAnalyzer(
  context: SearchContext,
  fields: readonly number[],
): [Analyzer, number[]][] {
  const groups = new Map<unknown, [Analyzer, number[]]>();
  for (const field of fields) {
    const analyzer = context.analyzers[field]!;
    const key = analyzer.config ? JSON.stringify(analyzer.config) : analyzer;
    const group = groups.get(key);
    if (group) group[1].push(field);
    else groups.set(key, [analyzer, [field]]);
  }
  return [...groups.values()];
}

function anyOf(weights: Weight[]): Weight {
  if (weights.length === 0) return NO_MATCH;
  if (weights.length === 1) return weights[0]!;
  return new BooleanWeight(weights.map((weight) => ({ occur: 'should', weight })));
}

function termWeights(
  context: SearchContext,
  terms: readonly string[],
  fields: readonly number[],
  boost: number,
): Weight[] {
  // a term repeated in the query text counts once, or once per repetition as a boost
  const once = context.repeatedTerms === 'once';
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, once ? 1 : (counts.get(term) ?? 0) + 1);
  const weights: Weight[] = [];
  for (const [term, count] of counts) {
    const id = context.store.termIds.get(term);
    if (id !== undefined) weights.push(new TermWeight(context, term, id, fields, boost * count));
  }
  return weights;
}

function expansionWeights(
  context: SearchContext,
  candidates: [string, number][],
  fields: readonly number[],
): Weight[] {
  const store = context.store;
  const live = candidates
    .map(([term, boost]) => [term, boost, store.termIds.get(term)] as const)
    .filter(([, , id]) => id !== undefined && fields.some((f) => store.postings[f]![id]?.docFreq))
    .sort((x, y) => y[1] - x[1] || store.anyFieldDocFreq[y[2]!]! - store.anyFieldDocFreq[x[2]!]!)
    .slice(0, context.maxExpansions);
  return live.map(([term, boost, id]) => new TermWeight(context, term, id!, fields, boost));
}

/**
 * Binds a query to the index statistics.
 * @param query - the query tree
 * @param context - the index
 * @param boost - a boost inherited from enclosing queries
 * @returns the weight
 * @throws OptionError for an unknown field or a phrase on fields without positions
 * @example
 * ```ts
 * const weight = createWeight(parseQuery('vitamin d'), context);
 * const scorer = weight.scorer();
 * ```
 */
export function createWeight(query: Query, context: SearchContext, boost = 1): Weight {
  const total = boost * (query.boost ?? 1);
  switch (query.type) {
    case 'term': {
      const fields = resolveFields(context, query.field, 'search');
      const weights: Weight[] = [];
      let analyzed = 0;
      for (const [analyzer, group] of groupByAnalyzer(context, fields)) {
        const { terms } = queryTokens(analyzer, query.text);
        analyzed += terms.length;
        weights.push(...termWeights(context, terms, group, total));
      }
      return analyzed === 0 ? EMPTY_QUERY : anyOf(weights);
    }
    case 'phrase': {
      const fields = resolveFields(context, query.field, 'search').filter(
        (field) => context.store.fields[field]!.positions,
      );
      if (fields.length === 0) {
        throw new OptionError(
          'search',
          `phrase "${query.text}" needs a field with positions (${query.field ?? 'none searched'} has none)`,
          query.field,
        );
      }
      const weights: Weight[] = [];
      let analyzed = 0;
      for (const [analyzer, group] of groupByAnalyzer(context, fields)) {
        const { terms, positions } = queryTokens(analyzer, query.text);
        analyzed += terms.length;
        if (terms.length <= 1) {
          weights.push(...termWeights(context, terms, group, total));
          continue;
        }
        const ids = terms.map((term) => context.store.termIds.get(term) ?? -1);
        const base = positions[0]!;
        const offsets = positions.map((position) => position - base);
        const slop = query.slop ?? 0;
        weights.push(new PhraseWeight(context, terms, ids, offsets, group, slop, total));
      }
      return analyzed === 0 ? EMPTY_QUERY : anyOf(weights);
    }
    case 'prefix': {
      const fields = resolveFields(context, query.field, 'search');
      const weights: Weight[] = [];
      for (const [analyzer, group] of groupByAnalyzer(context, fields)) {
        const prefix = analyzer.normalize(query.prefix);
        if (prefix.length === 0) continue;
        const candidates = termsWithPrefix(context.sortedTerms(), prefix).map(
          (term) => [term, total] as [string, number],
        );
        weights.push(...expansionWeights(context, candidates, group));
      }
      return anyOf(weights);
    }
    case 'fuzzy': {
      const fields = resolveFields(context, query.field, 'search');
      const distance = Math.max(0, Math.min(2, Math.floor(query.distance)));
      const weights: Weight[] = [];
      for (const [analyzer, group] of groupByAnalyzer(context, fields)) {
        const text = analyzer.normalize(query.text);
        if (text.length === 0) continue;
        // Lucene's FuzzyQuery scores an expansion by 1 - edits / min(length)
        const candidates = fuzzyTerms(context.store.terms, text, distance).map(
          ([term, edits]) =>
            [term, total * Math.max(0.1, 1 - edits / Math.min(term.length, text.length))] as [
              string,
              number,
            ],
        );
        weights.push(...expansionWeights(context, candidates, group));
      }
      return anyOf(weights);
    }
    case 'boolean': {
      const clauses: WeightClause[] = [];
      for (const clause of query.clauses) {
        const inner = clause.query;
        // a clause that only excludes ("a AND NOT b") excludes from this query
        if (
          clause.occur !== 'mustNot' &&
          inner.type === 'boolean' &&
          inner.clauses.length > 0 &&
          inner.clauses.every((c) => c.occur === 'mustNot')
        ) {
          for (const c of inner.clauses) {
            clauses.push({ occur: 'mustNot', weight: createWeight(c.query, context, 1) });
          }
          continue;
        }
        const weight = createWeight(inner, context, clause.occur === 'mustNot' ? 1 : total);
        if (weight === EMPTY_QUERY) continue;
        clauses.push({ occur: clause.occur, weight });
      }
      if (clauses.length === 0) return EMPTY_QUERY;
      return new BooleanWeight(clauses, query.minimumShouldMatch ?? 0);
    }
  }
}

/** Query text through the analyzer's query analysis (its index analysis when it has none). */
function queryTokens(analyzer: Analyzer, text: string): TokenStream {
  return analyzer.analyzeQuery ? analyzer.analyzeQuery(text) : analyzer.analyze(text);
}
