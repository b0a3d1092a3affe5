/**
 * Expands prefix and fuzzy terms into the dictionary terms they match:
 * a binary search over the sorted terms for a prefix, and a bounded
 * Damerau-Levenshtein distance (optimal string alignment: insertions,
 * deletions, substitutions and adjacent transpositions, as Lucene's
 * FuzzyQuery counts them) for fuzzy terms.
 */

/**
 * Edit distance with adjacent transpositions, giving up above `max`.
 * @param a - first string
 * @param b - second string
 * @param max - the largest distance of interest
 * @returns the distance, or `max + 1` when it is larger than `max`
 * @example
 * ```ts
 * editDistance('vitamin', 'vitamni', 2); // 1 (a transposition)
 * ```
 */
export function editDistance(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  let previous2 = new Int32Array(m + 1);
  let previous = new Int32Array(m + 1);
  let current = new Int32Array(m + 1);
  for (let j = 0; j <= m; j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= m; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        value = Math.min(value, previous2[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return max + 1;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return Math.min(previous[m]!, max + 1);
}

/**
 * The terms that start with `prefix`, in dictionary order.
 * @param sorted - all terms, sorted by code unit
 * @param prefix - the prefix
 * @returns the matching terms
 * @example
 * ```ts
 * termsWithPrefix(['vit', 'vitamin', 'vote'], 'vit'); // ['vit', 'vitamin']
 * ```
 */
export function termsWithPrefix(sorted: readonly string[], prefix: string): string[] {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < prefix) low = mid + 1;
    else high = mid;
  }
  const out: string[] = [];
  for (let i = low; i < sorted.length && sorted[i]!.startsWith(prefix); i++) out.push(sorted[i]!);
  return out;
}

/**
 * The terms within `distance` edits of `text`, with their distances.
 * @param terms - all terms
 * @param text - the fuzzy term
 * @param distance - maximum edits
 * @returns matches as [term, edits]
 * @example
 * ```ts
 * fuzzyTerms(['vitamin', 'vitamins', 'violin'], 'vitamn', 1); // [['vitamin', 1]]
 * ```
 */
export function fuzzyTerms(
  terms: readonly string[],
  text: string,
  distance: number,
): [string, number][] {
  const out: [string, number][] = [];
  for (const term of terms) {
    if (Math.abs(term.length - text.length) > distance) continue;
    const edits = editDistance(term, text, distance);
    if (edits <= distance) out.push([term, edits]);
  }
  return out;
}
