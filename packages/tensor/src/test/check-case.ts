/**
 * One conformance case run on a backend and compared with the float64
 * reference: the inputs in a memory layout, the comparison and the case's
 * tolerance. Free of any test framework, so it also runs in a browser page
 * (the repository's browser check); `conformance.ts` wraps it in vitest.
 */
import type { DType } from '../dtype.js';
import * as T from '../index.js';
import type { Tensor } from '../tensor.js';
import { drawInput, type InputSpec, type OpCase } from './cases.js';
import type { Ref } from './oracle.js';

/** How an input tensor is laid out in memory. */
export type InputLayout = 'contiguous' | 'transposed' | 'strided';

/** Options of `runConformanceSuite`. */
export interface ConformanceOptions {
  /** Backend name to test. */
  backend: string;
  /** Float dtype of the inputs. @default 'float32' */
  dtype?: DType;
  /** Layouts to try each case with. @default all three */
  layouts?: readonly InputLayout[];
  /** Multiplies every case's tolerance (for backends with less precise math). @default 1 */
  toleranceScale?: number;
  /** Cases to skip, by name. */
  skip?: readonly string[];
}

/**
 * Makes a tensor holding `values` (row-major for `shape`) in the given layout:
 * `transposed` stores it with reversed axes and permutes back (a non-contiguous
 * view); `strided` interleaves it with NaN junk and slices every second element.
 */
export function makeInput(
  values: Float64Array,
  shape: readonly number[],
  dtype: DType,
  layout: InputLayout,
  backend: string,
): Tensor {
  const rank = shape.length;
  if (layout === 'transposed' && rank >= 2) {
    const reversed = [...shape].reverse();
    const data = new Float64Array(values.length);
    const strides = shape.map((_, a) => shape.slice(a + 1).reduce((p, e) => p * e, 1));
    const rstrides = reversed.map((_, a) => reversed.slice(a + 1).reduce((p, e) => p * e, 1));
    for (let i = 0; i < values.length; i++) {
      let rest = i;
      let target = 0;
      for (let a = 0; a < rank; a++) {
        const index = Math.floor(rest / strides[a]!);
        rest %= strides[a]!;
        target += index * rstrides[rank - 1 - a]!;
      }
      data[target] = values[i]!;
    }
    const stored = T.tensor(data, { shape: reversed, dtype, backend });
    return stored.permute(reversed.map((_, a) => rank - 1 - a));
  }
  if (layout === 'strided' && rank >= 1) {
    const last = shape[rank - 1]!;
    const data = new Float64Array(values.length * 2).fill(
      dtype === 'int32' || dtype === 'bool' ? 7 : Number.NaN,
    );
    for (let i = 0; i < values.length; i++)
      data[Math.floor(i / last) * 2 * last + (i % last) * 2] = values[i]!;
    const stored = T.tensor(data, { shape: [...shape.slice(0, -1), 2 * last], dtype, backend });
    return stored.slice(...shape.slice(0, -1).map(() => null), [0, null, 2]);
  }
  return T.tensor(values, { shape, dtype, backend });
}

/** The dtype an input spec gets when the float dtype is `floatType`. */
export function inputDType(spec: InputSpec, floatType: DType): DType {
  if (spec.kind === 'index') return 'int32';
  if (spec.kind === 'bool') return 'bool';
  return floatType;
}

/** Largest violation of |actual - expected| <= tol * (1 + |expected|); NaN matches NaN. */
export function compare(
  actual: ArrayLike<number>,
  expected: Ref,
  tolerance: number,
): { ok: boolean; worst: number; at: number } {
  let worst = 0;
  let where = -1;
  if (actual.length !== expected.data.length) return { ok: false, worst: Infinity, at: -1 };
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected.data[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const excess = Math.abs(a - e) / (1 + Math.abs(e));
    if (!(excess <= worst)) {
      worst = Number.isNaN(excess) ? Infinity : excess;
      where = i;
    }
  }
  return { ok: worst <= tolerance, worst, at: where };
}

/** Runs one case on a backend and returns the comparison with the reference. */
export function checkCase(c: OpCase, options: ConformanceOptions, layout: InputLayout, seed = 1) {
  const dtype = options.dtype ?? 'float32';
  const values = c.inputs.map((spec, i) => drawInput(spec, seed * 100 + i));
  const tensors = c.inputs.map((spec, i) =>
    makeInput(values[i]!, spec.shape, inputDType(spec, dtype), layout, options.backend),
  );
  const out = c.run(...tensors);
  // The reference sees what the backend saw: inputs rounded to the tested dtype.
  const rounded = values.map(
    (v, i) =>
      T.tensor(v, {
        shape: c.inputs[i]!.shape,
        dtype: inputDType(c.inputs[i]!, dtype),
        backend: 'js',
      })
        .to('float64')
        .toTypedArray() as Float64Array,
  );
  const expected = c.reference(...rounded.map((data, i) => ({ shape: c.inputs[i]!.shape, data })));
  const scale = dtype === 'float64' ? 1e-6 : 1;
  const tolerance = (c.tolerance ?? 1e-5) * scale * (options.toleranceScale ?? 1);
  return { out, expected, comparison: compare(out.toTypedArray(), expected, tolerance), tolerance };
}
