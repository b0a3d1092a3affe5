/**
 * Where the vector branch's vectors come from: anything that embeds a text into a
 * unit vector of fixed dimension (LSA fitted here, or an @x/lm model's mean-pooled
 * hidden states), or the user's own document vectors, for which the query's vector
 * is passed with the search.
 */

/** Embeds texts (documents and queries alike) into unit vectors. */
export interface Embedder {
  /** Shown in stats: `lsa-192`, `model:<dir>`. */
  readonly name: string;
  readonly dims: number;
  /** @returns the unit vector of a text (all zeros when it has nothing to embed) */
  embed(text: string): Float32Array;
  /** @returns one unit vector per text */
  embedAll(
    texts: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Float32Array[];
}

/**
 * Scales a vector to unit length in place (a zero vector stays zero).
 * @param v - the vector
 * @returns v
 */
export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/**
 * The LSA model as an embedder.
 * @param lsa - anything with LSA's `dims`, `embed` and `embedAll`
 * @returns the embedder, named `lsa-<dims>`
 */
export function lsaEmbedder(lsa: {
  dims: number;
  embed(text: string): Float32Array;
  embedAll(texts: readonly string[]): Float32Array[];
}): Embedder {
  return {
    name: `lsa-${lsa.dims}`,
    dims: lsa.dims,
    embed: (text) => lsa.embed(text),
    embedAll: (texts, onProgress) => {
      const vectors = lsa.embedAll(texts);
      onProgress?.(texts.length, texts.length);
      return vectors;
    },
  };
}
