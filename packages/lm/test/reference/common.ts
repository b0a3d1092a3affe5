/**
 * Plain float64 loops shared by the reference forwards of the tests. They
 * share nothing with the package's code (no tensor ops, no kernels): each
 * reference reads weights by their Hugging Face names and layouts.
 */

/** A weight by name: shape and row-major float64 values. */
export interface RefTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Weights by Hugging Face name. */
export type RefWeights = Record<string, RefTensor>;

/** Fetches a weight or fails loudly (a reference must not guess). */
export function weight(weights: RefWeights, name: string): RefTensor {
  const w = weights[name];
  if (!w) throw new Error(`reference: no weight ${name}`);
  return w;
}

/** y = W x for W [out, in] (torch Linear layout), plus an optional bias. */
export function linearOutIn(w: RefTensor, x: Float64Array, bias?: RefTensor): Float64Array {
  const [out, inn] = w.shape as [number, number];
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let s = bias ? bias.data[o]! : 0;
    for (let i = 0; i < inn; i++) s += w.data[o * inn + i]! * x[i]!;
    y[o] = s;
  }
  return y;
}

/** y = x W + b for W [in, out] (GPT-2's Conv1D layout). */
export function linearInOut(w: RefTensor, x: Float64Array, bias?: RefTensor): Float64Array {
  const [inn, out] = w.shape as [number, number];
  const y = new Float64Array(out);
  if (bias) y.set(bias.data);
  for (let i = 0; i < inn; i++) {
    const xi = x[i]!;
    for (let o = 0; o < out; o++) y[o]! += xi * w.data[i * out + o]!;
  }
  return y;
}

/** LayerNorm over a vector. */
export function layerNorm(x: Float64Array, w: RefTensor, b: RefTensor, eps: number): Float64Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  variance /= x.length;
  const inv = 1 / Math.sqrt(variance + eps);
  return x.map((v, i) => (v - mean) * inv * w.data[i]! + b.data[i]!);
}

/** RMSNorm over a vector. */
export function rmsNorm(x: Float64Array, w: RefTensor, eps: number): Float64Array {
  let ms = 0;
  for (const v of x) ms += v * v;
  const inv = 1 / Math.sqrt(ms / x.length + eps);
  return x.map((v, i) => v * inv * w.data[i]!);
}

/** Softmax of scores in place (all finite). */
export function softmaxInPlace(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    scores[i] = Math.exp(scores[i]! - max);
    sum += scores[i]!;
  }
  for (let i = 0; i < scores.length; i++) scores[i]! /= sum;
  return scores;
}

/** Row `r` of a [rows, cols] weight. */
export function row(w: RefTensor, r: number): Float64Array {
  const cols = w.shape[1]!;
  return w.data.slice(r * cols, (r + 1) * cols);
}

/** Logits h E^T for an output matrix E [V, D]. */
export function logitsOf(head: RefTensor, h: Float64Array): Float64Array {
  return linearOutIn(head, h);
}

export const silu = (x: number) => x / (1 + Math.exp(-x));
export const softplus = (x: number) => (x > 20 ? x : Math.log1p(Math.exp(x)));
export const geluTanh = (x: number) =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
