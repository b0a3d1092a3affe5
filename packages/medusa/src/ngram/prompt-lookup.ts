/**
 * Prompt-lookup drafts (Saxena 2023, "Prompt Lookup Decoding"; Spec-Bench's
 * PLD): the text being generated often repeats spans of the prompt or of
 * retrieved passages. Take the longest suffix of the sequence so far (at
 * most `maxMatch`, at least `minMatch` tokens) that occurs earlier in the
 * sequence or in a passage, and propose the tokens that followed it there.
 * Several occurrences give several branches (distinct continuations,
 * longest match first, then the most recent occurrence first); the Medusa
 * loop verifies them in the same tree as the heads' candidates.
 *
 * Cost: a backward scan per suffix length over the sequence and the
 * passages, O((L + P) * maxMatch) comparisons per step — microseconds
 * against a forward pass.
 */
import { MedusaValueError } from '../errors.js';

/** Options of the n-gram branches. */
export interface NgramOptions {
  /** Token sequences to search besides the sequence itself (retrieved passages). @default [] */
  passages?: readonly (readonly number[])[];
  /** Longest suffix matched. @default 12 */
  maxMatch?: number;
  /** Shortest suffix matched (shorter matches propose nothing). @default 3 */
  minMatch?: number;
  /** Tokens proposed per branch. @default 8 */
  length?: number;
  /** Distinct continuations proposed per step. @default 1 */
  branches?: number;
}

/** Resolved n-gram options. */
export type ResolvedNgramOptions = Required<NgramOptions>;

const OP = 'ngram';

/**
 * Fills in defaults and validates.
 * @param options - n-gram options
 * @returns every option set
 * @throws MedusaValueError for a value out of range
 */
export function resolveNgramOptions(options: NgramOptions = {}): ResolvedNgramOptions {
  const resolved = {
    passages: options.passages ?? [],
    maxMatch: options.maxMatch ?? 12,
    minMatch: options.minMatch ?? 3,
    length: options.length ?? 8,
    branches: options.branches ?? 1,
  };
  for (const key of ['maxMatch', 'minMatch', 'length', 'branches'] as const) {
    const value = resolved[key];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new MedusaValueError(
        OP,
        `${key} must be a positive integer, got ${value}`,
        `ngrams.${key}`,
        value,
      );
  }
  if (resolved.minMatch > resolved.maxMatch)
    throw new MedusaValueError(
      OP,
      `minMatch ${resolved.minMatch} is above maxMatch ${resolved.maxMatch}`,
      'ngrams.minMatch',
      resolved.minMatch,
    );
  if (!Array.isArray(resolved.passages) || resolved.passages.some((p) => !Array.isArray(p)))
    throw new MedusaValueError(
      OP,
      'passages must be a list of token id lists',
      'ngrams.passages',
      resolved.passages,
    );
  return resolved;
}

/** Proposes continuations of a sequence from where its suffix occurred before. */
export class PromptLookup {
  readonly options: ResolvedNgramOptions;

  /**
   * @param options - passages, match lengths, branch length and count
   * @throws MedusaValueError for an option out of range
   */
  constructor(options: NgramOptions = {}) {
    this.options = resolveNgramOptions(options);
  }

  /**
   * Draft continuations of `sequence`.
   * @param sequence - the tokens so far (prompt and continuation)
   * @returns up to `branches` distinct continuations, each up to `length` tokens
   * @example
   * new PromptLookup({ minMatch: 2, length: 3 }).propose([5, 6, 7, 8, 1, 5, 6]) // [[7, 8, 1]]
   */
  propose(sequence: readonly number[]): number[][] {
    const { passages, maxMatch, minMatch, length, branches } = this.options;
    const out: number[][] = [];
    const seen = new Set<string>();
    const L = sequence.length;
    const sources: readonly (readonly number[])[] = [sequence, ...passages];
    for (let n = Math.min(maxMatch, L); n >= minMatch && out.length < branches; n--) {
      for (let s = 0; s < sources.length && out.length < branches; s++) {
        const source = sources[s]!;
        // in the sequence itself, the match must end before its last token (the suffix itself)
        const lastEnd = s === 0 ? L - 2 : source.length - 2;
        for (let end = lastEnd; end >= n - 1 && out.length < branches; end--) {
          let k = 0;
          while (k < n && source[end - k] === sequence[L - 1 - k]) k++;
          if (k < n) continue;
          const continuation = source.slice(end + 1, end + 1 + length) as number[];
          if (continuation.length === 0) continue;
          const key = continuation.join(',');
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(continuation);
        }
      }
    }
    return out;
  }
}
