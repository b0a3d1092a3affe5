/**
 * The op table of the conformance suite: for every op, its inputs (shapes
 * and value kinds, including broadcasting and odd sizes), how to run it on
 * tensors, and an independent float64 reference. The same table drives the
 * gradient checks (`grad: true` ops are checked against finite differences).
 */

import * as T from '../index.js';
import type { Tensor } from '../tensor.js';
import {
  alongAxis,
  at,
  broadcast,
  elementwise,
  layerNormLine,
  matmul,
  numel,
  type Ref,
  ravel,
  reduce,
  softmaxLine,
  transposeLast,
  unravel,
} from './oracle.js';

/** How an input's values are drawn. */
export type InputKind = 'normal' | 'positive' | 'index' | 'bool';

/** One input of a case. */
export interface InputSpec {
  readonly shape: readonly number[];
  readonly kind?: InputKind;
  /** Exclusive upper bound for `index` inputs. */
  readonly max?: number;
}

/** One op under test. */
export interface OpCase {
  readonly name: string;
  readonly inputs: readonly InputSpec[];
  /** Runs the op on tensors made from the inputs. */
  readonly run: (...t: Tensor[]) => Tensor;
  /** The float64 reference on the same values. */
  readonly reference: (...r: Ref[]) => Ref;
  /** Relative tolerance in float32 (absolute tolerance is the same value). @default 1e-5 */
  readonly tolerance?: number;
  /** Check gradients of the float inputs. @default true */
  readonly grad?: boolean;
}

/** erf by Simpson integration of 2/sqrt(pi) exp(-t^2): independent of the package's series. */
export function erfOracle(x: number): number {
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return (2 / Math.sqrt(Math.PI)) * (h / 3) * s;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const roundEven = (x: number) => {
  const f = Math.floor(x);
  const d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
};

const _A = [3, 4];
const unary = (
  name: string,
  run: (t: Tensor) => Tensor,
  fn: (v: number) => number,
  kind: InputKind = 'normal',
  extra: Partial<OpCase> = {},
): OpCase => ({
  name,
  inputs: [{ shape: [2, 3, 5], kind }],
  run,
  reference: (x) => elementwise(fn, x),
  ...extra,
});

const binary = (
  name: string,
  run: (a: Tensor, b: Tensor) => Tensor,
  fn: (a: number, b: number) => number,
  kinds: [InputKind, InputKind] = ['normal', 'normal'],
  extra: Partial<OpCase> = {},
): OpCase => ({
  name,
  inputs: [
    { shape: [3, 1, 4], kind: kinds[0] },
    { shape: [2, 4], kind: kinds[1] },
  ],
  run,
  reference: (a, b) => elementwise(fn, a, b),
  ...extra,
});

const sumOf = (v: number[]) => v.reduce((p, x) => p + x, 0);
const meanOf = (v: number[]) => sumOf(v) / v.length;
const varOf = (v: number[]) => {
  const m = meanOf(v);
  return v.reduce((p, x) => p + (x - m) ** 2, 0) / (v.length - 1);
};

function selectLast(x: Ref, index: Ref): Ref {
  // gather along the last axis
  const data = new Float64Array(index.data.length);
  for (let i = 0; i < data.length; i++) {
    const p = unravel(i, index.shape);
    p[p.length - 1] = index.data[i]!;
    data[i] = x.data[ravel(p, x.shape)]!;
  }
  return { shape: index.shape, data };
}

/** Every op of the package with its reference. */
export const OP_CASES: readonly OpCase[] = [
  // ---- unary ----
  unary(
    'neg',
    (x) => x.neg(),
    (v) => -v,
  ),
  unary('abs', (x) => x.abs(), Math.abs),
  unary('sign', (x) => x.sign(), Math.sign),
  unary('exp', (x) => x.exp(), Math.exp),
  unary('expm1', (x) => x.expm1(), Math.expm1),
  unary('log', (x) => x.log(), Math.log, 'positive'),
  unary('log1p', (x) => x.log1p(), Math.log1p, 'positive'),
  unary('sqrt', (x) => x.sqrt(), Math.sqrt, 'positive'),
  unary(
    'rsqrt',
    (x) => x.rsqrt(),
    (v) => 1 / Math.sqrt(v),
    'positive',
  ),
  unary(
    'square',
    (x) => x.square(),
    (v) => v * v,
  ),
  unary(
    'reciprocal',
    (x) => x.reciprocal(),
    (v) => 1 / v,
    'positive',
  ),
  unary('sin', (x) => x.sin(), Math.sin),
  unary('cos', (x) => x.cos(), Math.cos),
  unary('tanh', (x) => x.tanh(), Math.tanh),
  unary('sigmoid', (x) => x.sigmoid(), sigmoid),
  unary(
    'relu',
    (x) => x.relu(),
    (v) => Math.max(v, 0),
  ),
  unary(
    'gelu(tanh)',
    (x) => x.gelu({ approximate: 'tanh' }),
    (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  ),
  unary(
    'gelu(erf)',
    (x) => x.gelu(),
    (v) => 0.5 * v * (1 + erfOracle(v / Math.SQRT2)),
  ),
  unary(
    'silu',
    (x) => x.silu(),
    (v) => v * sigmoid(v),
  ),
  unary(
    'softplus',
    (x) => x.softplus(),
    (v) => Math.log(1 + Math.exp(v)),
  ),
  unary(
    'elu',
    (x) => T.elu(x, 0.7),
    (v) => (v > 0 ? v : 0.7 * (Math.exp(v) - 1)),
  ),
  unary(
    'leakyRelu',
    (x) => T.leakyRelu(x, 0.1),
    (v) => (v > 0 ? v : 0.1 * v),
  ),
  unary('erf', (x) => x.erf(), erfOracle),
  unary(
    'floor',
    (x) => x.mul(3).floor(),
    (v) => Math.floor(v * 3),
  ),
  unary(
    'ceil',
    (x) => x.mul(3).ceil(),
    (v) => Math.ceil(v * 3),
  ),
  unary(
    'round',
    (x) => x.mul(3).round(),
    (v) => roundEven(v * 3),
  ),
  unary(
    'clamp',
    (x) => x.clamp(-0.5, 0.7),
    (v) => Math.min(Math.max(v, -0.5), 0.7),
  ),
  unary(
    'pow(scalar)',
    (x) => x.pow(3),
    (v) => v ** 3,
  ),
  // ---- binary with broadcasting ----
  binary(
    'add',
    (a, b) => a.add(b),
    (a, b) => a + b,
  ),
  binary(
    'sub',
    (a, b) => a.sub(b),
    (a, b) => a - b,
  ),
  binary(
    'mul',
    (a, b) => a.mul(b),
    (a, b) => a * b,
  ),
  binary(
    'div',
    (a, b) => a.div(b),
    (a, b) => a / b,
    ['normal', 'positive'],
  ),
  binary(
    'pow',
    (a, b) => a.pow(b),
    (a, b) => a ** b,
    ['positive', 'normal'],
  ),
  binary('maximum', (a, b) => a.maximum(b), Math.max),
  binary('minimum', (a, b) => a.minimum(b), Math.min),
  binary(
    'lt',
    (a, b) => a.lt(b),
    (a, b) => (a < b ? 1 : 0),
    undefined,
    { grad: false },
  ),
  binary(
    'ge',
    (a, b) => a.ge(b),
    (a, b) => (a >= b ? 1 : 0),
    undefined,
    { grad: false },
  ),
  binary(
    'eq',
    (a, b) => a.add(b.mul(0)).eq(a),
    () => 1,
    undefined,
    { grad: false },
  ),
  binary(
    'ne',
    (a, b) => a.ne(b),
    (a, b) => (a !== b ? 1 : 0),
    undefined,
    { grad: false },
  ),
  {
    name: 'where',
    inputs: [{ shape: [3, 1, 4], kind: 'bool' }, { shape: [2, 4] }, { shape: [4] }],
    run: (c, a, b) => T.where(c, a, b),
    reference: (c, a, b) => elementwise((cv, av, bv) => (cv !== 0 ? av : bv), c, a, b),
  },
  // ---- reductions ----
  {
    name: 'sum(all)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.sum(),
    reference: (x) => reduce(x, [0, 1, 2], sumOf),
  },
  {
    name: 'sum(1)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.sum(1),
    reference: (x) => reduce(x, [1], sumOf),
  },
  {
    name: 'sum([0,2],keepdims)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.sum([0, 2], { keepdims: true }),
    reference: (x) => reduce(x, [0, 2], sumOf, true),
  },
  {
    name: 'mean(-1)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.mean(-1),
    reference: (x) => reduce(x, [2], meanOf),
  },
  {
    name: 'prod(0)',
    inputs: [{ shape: [3, 4] }],
    run: (x) => x.prod(0),
    reference: (x) => reduce(x, [0], (v) => v.reduce((p, y) => p * y, 1)),
  },
  {
    name: 'max(1)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.max(1),
    reference: (x) => reduce(x, [1], (v) => Math.max(...v)),
  },
  {
    name: 'min([0,1])',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.min([0, 1]),
    reference: (x) => reduce(x, [0, 1], (v) => Math.min(...v)),
  },
  {
    name: 'argmax(2)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.argmax(2),
    reference: (x) => reduce(x, [2], (v) => v.indexOf(Math.max(...v))),
    grad: false,
  },
  {
    name: 'argmin(0)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.argmin(0),
    reference: (x) => reduce(x, [0], (v) => v.indexOf(Math.min(...v))),
    grad: false,
  },
  {
    name: 'logsumexp(1)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.mul(10).logsumexp(1),
    reference: (x) => reduce(x, [1], (v) => Math.log(sumOf(v.map((y) => Math.exp(10 * y))))),
  },
  {
    name: 'var(1)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.var(1),
    reference: (x) => reduce(x, [1], varOf),
  },
  {
    name: 'std(all)',
    inputs: [{ shape: [3, 4, 5] }],
    run: (x) => x.std(),
    reference: (x) => reduce(x, [0, 1, 2], (v) => Math.sqrt(varOf(v))),
  },
  {
    name: 'cumsum(1)',
    inputs: [{ shape: [3, 5, 2] }],
    run: (x) => x.cumsum(1),
    reference: (x) => alongAxis(x, 1, (l) => l.map((_, i) => sumOf(l.slice(0, i + 1)))),
  },
  // ---- linear algebra ----
  {
    name: 'matmul(batch)',
    inputs: [{ shape: [2, 3, 7] }, { shape: [7, 5] }],
    run: (a, b) => a.matmul(b),
    reference: matmul,
    tolerance: 1e-4,
  },
  {
    name: 'matmul(broadcast)',
    inputs: [{ shape: [3, 1, 2, 7] }, { shape: [4, 7, 3] }],
    run: (a, b) => a.matmul(b),
    reference: matmul,
    tolerance: 1e-4,
  },
  {
    name: 'matmul(transposed)',
    inputs: [{ shape: [2, 6, 4] }, { shape: [2, 5, 4] }],
    run: (a, b) => a.matmul(b.transpose()),
    reference: (a, b) => matmul(a, transposeLast(b)),
    tolerance: 1e-4,
  },
  {
    name: 'matmul(vector)',
    inputs: [{ shape: [5] }, { shape: [2, 5, 3] }],
    run: (a, b) => a.matmul(b),
    reference: (a, b) => {
      const r = matmul({ shape: [1, 5], data: a.data }, b);
      return { shape: [2, 3], data: r.data };
    },
    tolerance: 1e-4,
  },
  // ---- fused / composite ----
  {
    name: 'softmax(-1)',
    inputs: [{ shape: [3, 7] }],
    run: (x) => x.mul(4).softmax(-1),
    reference: (x) =>
      alongAxis(
        elementwise((v) => 4 * v, x),
        1,
        softmaxLine,
      ),
  },
  {
    name: 'softmax(0)',
    inputs: [{ shape: [4, 3] }],
    run: (x) => x.softmax(0),
    reference: (x) => alongAxis(x, 0, softmaxLine),
  },
  {
    name: 'logSoftmax(-1)',
    inputs: [{ shape: [2, 3, 6] }],
    run: (x) => x.logSoftmax(),
    reference: (x) => alongAxis(x, 2, (l) => softmaxLine(l).map(Math.log)),
  },
  {
    name: 'layerNorm',
    inputs: [{ shape: [2, 3, 6] }, { shape: [6] }, { shape: [6] }],
    run: (x, w, b) => x.layerNorm(w, b),
    reference: (x, w, b) =>
      elementwise(
        (v, wv, bv) => v * wv + bv,
        alongAxis(x, 2, (l) => layerNormLine(l, 1e-5)),
        w,
        b,
      ),
    tolerance: 1e-4,
  },
  {
    name: 'rmsNorm',
    inputs: [{ shape: [4, 5] }, { shape: [5] }],
    run: (x, w) => x.rmsNorm(w),
    reference: (x, w) =>
      elementwise(
        (v, wv) => v * wv,
        alongAxis(x, 1, (l) => l.map((v) => v / Math.sqrt(meanOf(l.map((y) => y * y)) + 1e-6))),
        w,
      ),
    tolerance: 1e-4,
  },
  // ---- indexing and joining ----
  {
    name: 'gather(-1)',
    inputs: [{ shape: [3, 5] }, { shape: [3, 4], kind: 'index', max: 5 }],
    run: (x, i) => x.gather(-1, i),
    reference: selectLast,
  },
  {
    name: 'indexSelect(0)',
    inputs: [{ shape: [5, 3] }, { shape: [7], kind: 'index', max: 5 }],
    run: (x, i) => x.indexSelect(0, i),
    reference: (x, i) => {
      const data = new Float64Array(i.data.length * 3);
      for (let r = 0; r < i.data.length; r++)
        for (let c = 0; c < 3; c++) data[r * 3 + c] = x.data[i.data[r]! * 3 + c]!;
      return { shape: [i.data.length, 3], data };
    },
  },
  {
    name: 'embedding',
    inputs: [{ shape: [6, 4] }, { shape: [2, 3], kind: 'index', max: 6 }],
    run: (w, ids) => T.embedding(w, ids),
    reference: (w, ids) => {
      const data = new Float64Array(ids.data.length * 4);
      ids.data.forEach((id, r) => {
        for (let c = 0; c < 4; c++) data[r * 4 + c] = w.data[id * 4 + c]!;
      });
      return { shape: [2, 3, 4], data };
    },
  },
  {
    name: 'scatterAdd(1)',
    inputs: [{ shape: [3, 4] }, { shape: [3, 6], kind: 'index', max: 4 }, { shape: [3, 6] }],
    run: (x, i, s) => x.scatterAdd(1, i, s),
    reference: (x, i, s) => {
      const data = Float64Array.from(x.data);
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 6; c++) data[r * 4 + i.data[r * 6 + c]!]! += s.data[r * 6 + c]!;
      return { shape: [3, 4], data };
    },
  },
  {
    name: 'concat(1)',
    inputs: [{ shape: [2, 3] }, { shape: [2, 1] }, { shape: [2, 2] }],
    run: (a, b, c) => T.concat([a, b, c], 1),
    reference: (a, b, c) => {
      const data = new Float64Array(12);
      for (let r = 0; r < 2; r++) {
        const row = [
          ...a.data.slice(r * 3, r * 3 + 3),
          ...b.data.slice(r, r + 1),
          ...c.data.slice(r * 2, r * 2 + 2),
        ];
        data.set(row, r * 6);
      }
      return { shape: [2, 6], data };
    },
  },
  {
    name: 'stack(1)',
    inputs: [{ shape: [2, 3] }, { shape: [2, 3] }],
    run: (a, b) => T.stack([a, b], 1),
    reference: (a, b) => {
      const data = new Float64Array(12);
      for (let r = 0; r < 2; r++) {
        data.set(a.data.slice(r * 3, r * 3 + 3), r * 6);
        data.set(b.data.slice(r * 3, r * 3 + 3), r * 6 + 3);
      }
      return { shape: [2, 2, 3], data };
    },
  },
  {
    name: 'split',
    inputs: [{ shape: [7, 2] }],
    run: (x) => x.split([3, 4])[1]!.mul(2),
    reference: (x) => ({ shape: [4, 2], data: x.data.slice(6).map((v) => 2 * v) }),
  },
  {
    name: 'topk(values)',
    inputs: [{ shape: [3, 8] }],
    run: (x) => x.topk(3).values,
    reference: (x) => {
      const data = new Float64Array(9);
      for (let r = 0; r < 3; r++)
        data.set([...x.data.slice(r * 8, r * 8 + 8)].sort((p, q) => q - p).slice(0, 3), r * 3);
      return { shape: [3, 3], data };
    },
  },
  {
    name: 'topk(selection, k << n)',
    inputs: [{ shape: [4, 40] }],
    run: (x) => x.topk(3).values,
    reference: (x) => {
      const data = new Float64Array(12);
      for (let r = 0; r < 4; r++)
        data.set([...x.data.slice(r * 40, r * 40 + 40)].sort((p, q) => q - p).slice(0, 3), r * 3);
      return { shape: [4, 3], data };
    },
  },
  {
    name: 'topk(indices, axis 0, smallest)',
    inputs: [{ shape: [6, 2] }],
    run: (x) => x.topk(2, { axis: 0, largest: false }).indices,
    reference: (x) => {
      const data = new Float64Array(4);
      for (let c = 0; c < 2; c++) {
        const col = [0, 1, 2, 3, 4, 5].sort((p, q) => x.data[p * 2 + c]! - x.data[q * 2 + c]!);
        data[c] = col[0]!;
        data[2 + c] = col[1]!;
      }
      return { shape: [2, 2], data };
    },
    grad: false,
  },
  {
    name: 'conv1dCausalDepthwise',
    inputs: [{ shape: [2, 3, 7] }, { shape: [3, 1, 4] }, { shape: [3] }],
    run: (x, w, b) => T.conv1dCausalDepthwise(x, w, b),
    reference: (x, w, b) => {
      const data = new Float64Array(2 * 3 * 7);
      for (let n = 0; n < 2; n++)
        for (let c = 0; c < 3; c++)
          for (let t = 0; t < 7; t++) {
            let acc = b.data[c]!;
            for (let k = 0; k < 4; k++) {
              const s = t - 3 + k;
              if (s >= 0) acc += w.data[c * 4 + k]! * x.data[(n * 3 + c) * 7 + s]!;
            }
            data[(n * 3 + c) * 7 + t] = acc;
          }
      return { shape: [2, 3, 7], data };
    },
  },
  {
    name: 'crossEntropy(ignoreIndex)',
    inputs: [{ shape: [5, 4] }, { shape: [5], kind: 'index', max: 4 }],
    run: (logits, targets) =>
      T.crossEntropy(
        logits,
        T.where(T.arange(5, undefined, 1, { backend: logits.backend }).eq(2), -100, targets),
      ),
    reference: (logits, targets) => {
      let total = 0;
      let count = 0;
      for (let r = 0; r < 5; r++) {
        if (r === 2) continue;
        const row = [...logits.data.slice(r * 4, r * 4 + 4)];
        total -= Math.log(softmaxLine(row)[targets.data[r]!]!);
        count++;
      }
      return { shape: [], data: Float64Array.of(total / count) };
    },
  },
  {
    name: 'mseLoss',
    inputs: [{ shape: [3, 4] }, { shape: [4] }],
    run: (a, b) => T.mseLoss(a, b),
    reference: (a, b) =>
      reduce(
        elementwise((x, y) => (x - y) ** 2, a, b),
        [0, 1],
        meanOf,
      ),
  },
  // ---- views ----
  {
    name: 'permute',
    inputs: [{ shape: [2, 3, 4] }],
    run: (x) => x.permute(2, 0, 1).mul(1),
    reference: (x) => {
      const shape = [4, 2, 3];
      const data = new Float64Array(24);
      for (let i = 0; i < 24; i++) {
        const [c, a, b] = unravel(i, shape) as [number, number, number];
        data[i] = x.data[ravel([a, b, c], x.shape)]!;
      }
      return { shape, data };
    },
  },
  {
    name: 'expand',
    inputs: [{ shape: [3, 1] }],
    run: (x) => x.expand(2, 3, 4).mul(1),
    reference: (x) => elementwise((v) => v, x, { shape: [2, 3, 4], data: new Float64Array(24) }),
  },
  {
    name: 'slice',
    inputs: [{ shape: [5, 6] }],
    run: (x) => x.slice([1, 5, 2], [null, -1]).mul(1),
    reference: (x) => {
      const data: number[] = [];
      for (const r of [1, 3]) for (let c = 0; c < 5; c++) data.push(x.data[r * 6 + c]!);
      return { shape: [2, 5], data: Float64Array.from(data) };
    },
  },
  {
    name: 'flip',
    inputs: [{ shape: [3, 4] }],
    run: (x) => x.flip([0, 1]).mul(1),
    reference: (x) => ({ shape: [3, 4], data: Float64Array.from(x.data).reverse() }),
  },
  {
    name: 'reshape(non-contiguous)',
    inputs: [{ shape: [3, 4] }],
    run: (x) => x.transpose().reshape(2, 6),
    reference: (x) => ({ shape: [2, 6], data: transposeLast(x).data }),
  },
  {
    name: 'tril',
    inputs: [{ shape: [2, 3, 4] }],
    run: (x) => T.tril(x, 1),
    reference: (x) => {
      const data = Float64Array.from(x.data);
      for (let i = 0; i < 24; i++) {
        const [, r, c] = unravel(i, x.shape) as [number, number, number];
        if (c - r > 1) data[i] = 0;
      }
      return { shape: x.shape, data };
    },
  },
  {
    name: 'select+narrow',
    inputs: [{ shape: [3, 5] }],
    run: (x) => x.select(0, 1).narrow(0, 1, 3).mul(1),
    reference: (x) => ({ shape: [3], data: x.data.slice(6, 9) }),
  },
  // Views read back directly (no op after them): readback must honour offsets and strides.
  {
    name: 'view readback: narrow',
    inputs: [{ shape: [4, 5] }],
    run: (x) => x.narrow(0, 2, 2),
    reference: (x) => ({ shape: [2, 5], data: x.data.slice(10, 20) }),
  },
  {
    name: 'view readback: select',
    inputs: [{ shape: [3, 4] }],
    run: (x) => x.select(1, 2),
    reference: (x) => ({ shape: [3], data: Float64Array.of(x.data[2]!, x.data[6]!, x.data[10]!) }),
  },
  {
    name: 'view readback: transpose',
    inputs: [{ shape: [2, 3] }],
    run: (x) => x.transpose(),
    reference: transposeLast,
  },
];

/** Values drawn for an input spec (float64), reproducible from `seed`. */
export function drawInput(spec: InputSpec, seed: number): Float64Array {
  const g = new T.Generator(seed);
  const n = numel(spec.shape);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (spec.kind === 'positive') out[i] = 0.5 + 1.5 * g.uniform();
    else if (spec.kind === 'index') out[i] = g.integer(0, spec.max ?? 2);
    else if (spec.kind === 'bool') out[i] = g.uniform() < 0.5 ? 1 : 0;
    else out[i] = g.normal();
  }
  return out;
}

export { at, broadcast };
