/**
 * The scalar semantics of the elementwise primitives (`scalar/unary.ts`,
 * `scalar/binary.ts`) as gpu.js kernel source: each unary op is a list of
 * statements reading `v` and assigning the float `r`; each binary op an
 * expression of `a` and `b`. They run in float32 on the device, so where the
 * GLSL built-ins lose precision the statements use stable forms: expm1 and
 * log1p switch to Taylor series near 0, tanh is computed from exp(-2|x|),
 * sigmoid from the exponential of -|x|, erf uses Abramowitz & Stegun
 * 7.1.26 (absolute error below 1.5e-7), and sin / cos reduce by pi/2 and
 * sum their Taylor series. NaN is detected as `v != v`; results
 * that must be NaN are produced from the NaN input itself.
 */
import type { BinaryOpName, UnaryOpName } from '../../backend/backend.js';
import type { DType } from '../../dtype.js';
import { floatLiteral } from './layout-source.js';

const tanhOf = (x: string, out: string) => [
  `const ${out}e = Math.exp(-2.0 * Math.abs(${x}));`,
  `let ${out} = (1.0 - ${out}e) / (1.0 + ${out}e);`,
  `if (${x} < 0.0) { ${out} = -${out}; }`,
];
const sigmoidOf = (x: string, out: string) => [
  `const ${out}e = Math.exp(-Math.abs(${x}));`,
  `let ${out} = 1.0 / (1.0 + ${out}e);`,
  `if (${x} < 0.0) { ${out} = ${out}e / (1.0 + ${out}e); }`,
];
const expm1Of = (x: string, out: string) => [
  `let ${out} = Math.exp(${x}) - 1.0;`,
  `if (Math.abs(${x}) < 0.1) { ${out} = ${x} * (1.0 + ${x} * (0.5 + ${x} * (0.16666666666666666 + ${x} * (0.041666666666666664 + ${x} * (0.008333333333333333 + ${x} * 0.001388888888888889))))); }`,
];
const log1pOf = (x: string, out: string) => [
  `let ${out} = Math.log(1.0 + ${x});`,
  `if (Math.abs(${x}) < 0.1) { ${out} = ${x} * (1.0 - ${x} * (0.5 - ${x} * (0.3333333333333333 - ${x} * (0.25 - ${x} * (0.2 - ${x} * (0.16666666666666666 - ${x} * 0.14285714285714285)))))); }`,
];
const erfOf = (x: string, out: string) => [
  `const ${out}a = Math.abs(${x});`,
  `const ${out}t = 1.0 / (1.0 + 0.3275911 * ${out}a);`,
  `let ${out} = 1.0 - ${out}t * (0.254829592 + ${out}t * (-0.284496736 + ${out}t * (1.421413741 + ${out}t * (-1.453152027 + ${out}t * 1.061405429)))) * Math.exp(-${out}a * ${out}a);`,
  `if (${x} < 0.0) { ${out} = -${out}; }`,
];

/**
 * sin and cos of `x` in float32 without the GLSL built-ins (whose precision
 * GLSL ES leaves open: SwiftShader's are 9x over the 1e-5 tolerance): Cody-Waite
 * reduction by pi/2 in three parts (the first two short enough that
 * q * part is exact), then the Taylor series of sin (to t^9) and cos (to t^8)
 * on |t| <= pi/4, both within 6e-8 of float64 for |x| <= 100 in float32
 * arithmetic; the quadrant picks and signs them. NaN and infinities give NaN.
 */
const sinCosOf = (x: string) => [
  `const sq = Math.floor(${x} * 0.6366197723675814 + 0.5);`,
  `const st = ((${x} - sq * 1.5703125) - sq * 0.0004837512969970703) - sq * 7.549790126404332e-8;`,
  'const sz = st * st;',
  'const ss = st + st * sz * (-0.16666666666666666 + sz * (0.008333333333333333 + sz * (-0.0001984126984126984 + sz * 0.0000027557319223985893)));',
  'const sc = 1.0 - sz * (0.5 - sz * (0.041666666666666664 - sz * (0.001388888888888889 - sz * 0.0000248015873015873)));',
  'const sk = sq - 4.0 * Math.floor(sq * 0.25);',
];

const param = (params: readonly number[], i: number, fallback: number) =>
  floatLiteral(params[i] ?? fallback);

/**
 * Statements computing `r` (a float already declared) from the float `v`.
 * @param op - the unary primitive
 * @param params - its parameters (clamp bounds, slopes)
 * @returns source lines
 */
export function unarySource(op: UnaryOpName, params: readonly number[] = []): string[] {
  switch (op) {
    case 'neg':
      return ['r = -v;'];
    case 'abs':
      return ['r = Math.abs(v);'];
    case 'sign':
      return ['r = v > 0.0 ? 1.0 : (v < 0.0 ? -1.0 : (v != v ? v : 0.0));'];
    case 'exp':
      return ['r = Math.exp(v);'];
    case 'expm1':
      return [...expm1Of('v', 'u'), 'r = u;'];
    case 'log':
      return ['r = Math.log(v);'];
    case 'log1p':
      return [...log1pOf('v', 'u'), 'r = u;'];
    case 'sqrt':
      return ['r = Math.sqrt(v);'];
    case 'rsqrt':
      return ['r = 1.0 / Math.sqrt(v);'];
    case 'square':
      return ['r = v * v;'];
    case 'reciprocal':
      return ['r = 1.0 / v;'];
    case 'sin':
      return [
        ...sinCosOf('v'),
        'r = sk < 0.5 ? ss : (sk < 1.5 ? sc : (sk < 2.5 ? -ss : -sc));',
        'if (v == 0.0) { r = v; }',
        'if (v != v || Math.abs(v) > 3.4028234663852886e38) { r = v - v; }',
      ];
    case 'cos':
      return [
        ...sinCosOf('v'),
        'r = sk < 0.5 ? sc : (sk < 1.5 ? -ss : (sk < 2.5 ? -sc : ss));',
        'if (v != v || Math.abs(v) > 3.4028234663852886e38) { r = v - v; }',
      ];
    case 'tanh':
      return [...tanhOf('v', 'u'), 'r = u;'];
    case 'sigmoid':
      return [...sigmoidOf('v', 'u'), 'r = u;'];
    case 'relu':
      return ['r = v > 0.0 ? v : (v != v ? v : 0.0);'];
    case 'gelu':
      return [
        'const g = 0.7978845608028654 * (v + 0.044715 * v * v * v);',
        ...tanhOf('g', 'u'),
        'r = 0.5 * v * (1.0 + u);',
      ];
    case 'geluErf':
      return ['const g = v * 0.7071067811865476;', ...erfOf('g', 'u'), 'r = 0.5 * v * (1.0 + u);'];
    case 'silu':
      return [...sigmoidOf('v', 'u'), 'r = v * u;'];
    case 'softplus':
      return [
        'const s = Math.exp(v);',
        ...log1pOf('s', 'u'),
        'r = v > 20.0 ? v : (v < -20.0 ? s : u);',
      ];
    case 'elu':
      return [...expm1Of('v', 'u'), `r = v > 0.0 ? v : ${param(params, 0, 1)} * u;`];
    case 'leakyRelu':
      return [`r = v > 0.0 ? v : ${param(params, 0, 0.01)} * v;`];
    case 'erf':
      return [...erfOf('v', 'u'), 'r = u;'];
    case 'floor':
      return ['r = Math.floor(v);'];
    case 'ceil':
      return ['r = Math.ceil(v);'];
    case 'round':
      // Half to even: floor(v + 0.5), minus one when v sat exactly half-way below an odd result.
      return [
        'r = Math.floor(v + 0.5);',
        'if (r - v == 0.5) { if (Math.abs(r - 2.0 * Math.floor(r * 0.5)) > 0.5) { r = r - 1.0; } }',
      ];
    case 'clamp':
      return [
        `r = Math.min(Math.max(v, ${param(params, 0, -Infinity)}), ${param(params, 1, Infinity)});`,
        'if (v != v) { r = v; }',
      ];
    case 'logicalNot':
      return ['r = v == 0.0 ? 1.0 : 0.0;'];
    case 'isNaN':
      return ['r = v != v ? 1.0 : 0.0;'];
    case 'isFinite':
      return ['r = (v == v && Math.abs(v) <= 3.4028234663852886e38) ? 1.0 : 0.0;'];
  }
}

/**
 * The expression `op(a, b)` over floats `a` and `b`.
 * @param op - the binary primitive
 * @returns a source expression
 */
export function binarySource(op: BinaryOpName): string {
  switch (op) {
    case 'add':
      return 'a + b';
    case 'sub':
      return 'a - b';
    case 'mul':
      return 'a * b';
    case 'div':
      return 'a / b';
    case 'pow':
      // GLSL pow is undefined for a < 0: use |a| and restore the sign for odd integer exponents.
      return '(b == 0.0 ? 1.0 : (a < 0.0 && Math.floor(b) == b ? (Math.abs(b - 2.0 * Math.floor(b * 0.5)) > 0.5 ? -Math.pow(-a, b) : Math.pow(-a, b)) : Math.pow(a, b)))';
    case 'maximum':
      return '(a != a || b != b) ? a + b : Math.max(a, b)';
    case 'minimum':
      return '(a != a || b != b) ? a + b : Math.min(a, b)';
    case 'eq':
      return 'a == b ? 1.0 : 0.0';
    case 'ne':
      return 'a != b ? 1.0 : 0.0';
    case 'lt':
      return 'a < b ? 1.0 : 0.0';
    case 'le':
      return 'a <= b ? 1.0 : 0.0';
    case 'gt':
      return 'a > b ? 1.0 : 0.0';
    case 'ge':
      return 'a >= b ? 1.0 : 0.0';
    case 'logicalAnd':
      return '(a != 0.0 && b != 0.0) ? 1.0 : 0.0';
    case 'logicalOr':
      return '(a != 0.0 || b != 0.0) ? 1.0 : 0.0';
  }
}

/**
 * The expression storing the float `r` as a value of `dtype`: int32 truncates
 * toward zero (NaN to 0), bool tests for non-zero (NaN is true), float32
 * passes through; as `castScalar` does.
 */
export function storeSource(dtype: DType, r = 'r'): string {
  if (dtype === 'int32')
    return `(${r} != ${r} ? 0.0 : (${r} < 0.0 ? Math.ceil(${r}) : Math.floor(${r})))`;
  if (dtype === 'bool') return `(${r} == 0.0 ? 0.0 : 1.0)`;
  return r;
}
