/**
 * Batched matmul of the gpu backend.
 *
 * Shapes: a `[...batch, M, K]`, b `[...batch, K, N]` (batch axes already
 * broadcast, stride 0 where repeated), result `[...batch, M, N]` contiguous.
 *
 * Algorithm: one thread per output element computes the dot product of a row
 * of a and a column of b, reading both through their strides (so transposed
 * views need no copy), with the K loop unrolled by four into four independent
 * partial sums (shorter dependency chains; float32 accumulation). gpu.js's
 * WebGL targets expose no shared memory, so the tiling of CUDA-style GEMMs
 * (Volkov & Demmel 2008) cannot be written; the texture cache plays that role.
 */
import type { KernelInput } from '../../backend/backend.js';
import type { DType } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { emitCoordinates, floatLiteral, layoutKey, offsetExpression } from './layout-source.js';
import type { GpuRuntime, GpuStorage } from './runtime.js';
import { storeSource } from './scalar-source.js';

type Input = KernelInput<GpuStorage>;

/** `a @ b` over broadcast batch axes, stored as `dtype`. */
export function matmulKernel(runtime: GpuRuntime, a: Input, b: Input, dtype: DType): GpuStorage {
  const rank = a.shape.length;
  const M = a.shape[rank - 2]!;
  const K = a.shape[rank - 1]!;
  const N = b.shape[rank - 1]!;
  const batch = a.shape.slice(0, -2);
  const outShape = [...batch, M, N];
  const aStrides = [...a.strides.slice(0, -2), a.strides[rank - 2]!, 0];
  const bStrides = [...b.strides.slice(0, -2), 0, b.strides[rank - 1]!];
  const aK = floatLiteral(a.strides[rank - 1]!);
  const bK = floatLiteral(b.strides[rank - 2]!);
  const unrolled = K - (K % 4);
  const lines = [
    'const i = this.thread.x;',
    ...emitCoordinates('i', outShape, 'c'),
    `const pa = ${offsetExpression(a.offset, aStrides, 'c')};`,
    `const pb = ${offsetExpression(b.offset, bStrides, 'c')};`,
    'let s0 = 0.0;',
    'let s1 = 0.0;',
    'let s2 = 0.0;',
    'let s3 = 0.0;',
  ];
  if (unrolled > 0) {
    lines.push(
      `for (let k = 0; k < ${unrolled / 4}; k++) {`,
      `const qa = pa + k * ${floatLiteral(4 * a.strides[rank - 1]!)};`,
      `const qb = pb + k * ${floatLiteral(4 * b.strides[rank - 2]!)};`,
      `s0 = s0 + x[qa] * y[qb];`,
      `s1 = s1 + x[qa + ${aK}] * y[qb + ${bK}];`,
      `s2 = s2 + x[qa + 2.0 * ${aK}] * y[qb + 2.0 * ${bK}];`,
      `s3 = s3 + x[qa + 3.0 * ${aK}] * y[qb + 3.0 * ${bK}];`,
      '}',
    );
  }
  for (let k = unrolled; k < K; k++) {
    lines.push(
      `s0 = s0 + x[pa + ${floatLiteral(k)} * ${aK}] * y[pb + ${floatLiteral(k)} * ${bK}];`,
    );
  }
  lines.push('const r = (s0 + s1) + (s2 + s3);', `return ${storeSource(dtype)};`);
  return runtime.run(
    {
      key: `matmul:${dtype}:${layoutKey(a.shape, [a])}:${layoutKey(b.shape, [b])}`,
      source: `function (x, y) {\n${lines.join('\n')}\n}`,
      length: sizeOf(outShape),
    },
    [a.data, b.data],
  );
}
