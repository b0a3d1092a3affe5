/**
 * Reference implementations for the conformance suite, written independently
 * of the kernels: plain float64 loops over contiguous arrays, with index
 * arithmetic done from first principles (unravel a flat index, map it through
 * broadcasting). Slow and obvious on purpose.
 */

/** A contiguous float64 array with a shape. */
export interface Ref {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** Number of elements of a shape. */
export function numel(shape: readonly number[]): number {
  return shape.reduce((p, e) => p * e, 1);
}

/** Multi-index of flat index `i` in a row-major shape. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = i % shape[axis]!;
    i = Math.floor(i / shape[axis]!);
  }
  return index;
}

/** Flat index of a multi-index in a row-major shape. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let axis = 0; axis < shape.length; axis++) flat = flat * shape[axis]! + index[axis]!;
  return flat;
}

/** NumPy broadcasting of shapes (throws on mismatch). */
export function broadcast(...shapes: (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let extent = 1;
    for (const s of shapes) {
      const e = s[s.length - rank + i] ?? 1;
      if (e !== 1) {
        if (extent !== 1 && extent !== e) throw new Error('oracle: shapes do not broadcast');
        extent = e;
      }
    }
    out.push(extent);
  }
  return out;
}

/** Reads `x` at a multi-index of the broadcast shape. */
export function at(x: Ref, index: readonly number[]): number {
  const shift = index.length - x.shape.length;
  const own = x.shape.map((e, axis) => (e === 1 ? 0 : index[axis + shift]!));
  return x.data[ravel(own, x.shape)]!;
}

/** Applies `fn` elementwise with broadcasting. */
export function elementwise(fn: (...v: number[]) => number, ...inputs: Ref[]): Ref {
  const shape = broadcast(...inputs.map((x) => x.shape));
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape);
    data[i] = fn(...inputs.map((x) => at(x, index)));
  }
  return { shape, data };
}

/** Reduces `axes` with `fn` over the values of each output position. */
export function reduce(
  x: Ref,
  axes: readonly number[],
  fn: (values: number[]) => number,
  keepdims = false,
): Ref {
  const keptShape = x.shape.map((e, a) => (axes.includes(a) ? 1 : e));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape).map((v, a) => (axes.includes(a) ? 0 : v));
    const key = ravel(index, keptShape);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(x.data[i]!);
  }
  const data = new Float64Array(numel(keptShape));
  for (let k = 0; k < data.length; k++) data[k] = fn(groups.get(k) ?? []);
  return { shape: keepdims ? keptShape : x.shape.filter((_, a) => !axes.includes(a)), data };
}

/** Batched matrix product with broadcast batch axes. */
export function matmul(a: Ref, b: Ref): Ref {
  const M = a.shape[a.shape.length - 2]!;
  const K = a.shape[a.shape.length - 1]!;
  const N = b.shape[b.shape.length - 1]!;
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, M, N];
  const data = new Float64Array(numel(shape));
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape);
    const bi = index.slice(0, -2);
    let acc = 0;
    for (let k = 0; k < K; k++) {
      acc +=
        at(a, [...bi, index[index.length - 2]!, k]) * at(b, [...bi, k, index[index.length - 1]!]);
    }
    data[i] = acc;
  }
  return { shape, data };
}

/** Applies `fn` to each line along `axis` (a vector in, a vector of the same length out). */
export function alongAxis(x: Ref, axis: number, fn: (line: number[]) => number[]): Ref {
  const data = new Float64Array(x.data.length);
  const n = x.shape[axis]!;
  for (let i = 0; i < x.data.length; i++) {
    const index = unravel(i, x.shape);
    if (index[axis] !== 0) continue;
    const positions = Array.from({ length: n }, (_, j) => {
      const p = [...index];
      p[axis] = j;
      return ravel(p, x.shape);
    });
    const out = fn(positions.map((p) => x.data[p]!));
    positions.forEach((p, j) => {
      data[p] = out[j]!;
    });
  }
  return { shape: x.shape, data };
}

/** Softmax of a vector in float64. */
export function softmaxLine(line: number[]): number[] {
  const m = Math.max(...line);
  const e = line.map((v) => Math.exp(v - m));
  const s = e.reduce((p, v) => p + v, 0);
  return e.map((v) => v / s);
}

/** Layer norm of a vector (biased variance). */
export function layerNormLine(line: number[], eps: number): number[] {
  const mean = line.reduce((p, v) => p + v, 0) / line.length;
  const variance = line.reduce((p, v) => p + (v - mean) ** 2, 0) / line.length;
  return line.map((v) => (v - mean) / Math.sqrt(variance + eps));
}

/** Transposes the last two axes. */
export function transposeLast(x: Ref): Ref {
  const r = x.shape.length;
  const shape = [...x.shape.slice(0, -2), x.shape[r - 1]!, x.shape[r - 2]!];
  const data = new Float64Array(x.data.length);
  for (let i = 0; i < data.length; i++) {
    const index = unravel(i, shape);
    const source = [...index.slice(0, -2), index[r - 1]!, index[r - 2]!];
    data[i] = x.data[ravel(source, x.shape)]!;
  }
  return { shape, data };
}
