/**
 * Dense products of the LSA fit on @x/tensor (its `wasm` backend where
 * WebAssembly SIMD works, else the current backend): row-major float32
 * buffers in, a row-major float32 buffer out, every tensor freed.
 */

import { getBackend, listBackends, matmul, type Tensor, tensor, tidy } from '@x/tensor';

let backendName: string | undefined;

/** The backend the fit's products run on: `wasm` when registered, else the current one. */
export function denseBackend(): string {
  backendName ??= listBackends().includes('wasm') ? 'wasm' : getBackend().name;
  return backendName;
}

function upload(values: Float32Array, rows: number, columns: number): Tensor {
  return tensor(values, { shape: [rows, columns], backend: denseBackend() });
}

/**
 * `op(a) @ op(b)` with `op` the identity or the transpose.
 * @param a - row-major `[aRows, aColumns]`
 * @param b - row-major `[bRows, bColumns]`
 * @param options - `transposeA` / `transposeB`
 * @returns the row-major product
 * @throws the tensor core's ShapeError when the inner extents differ
 * @example
 * ```ts
 * denseProduct({ values: Float32Array.of(1, 2), rows: 1, columns: 2 },
 *   { values: Float32Array.of(3, 4), rows: 2, columns: 1 }).values; // Float32Array [11]
 * ```
 */
export function denseProduct(
  a: DenseMatrix,
  b: DenseMatrix,
  options: { transposeA?: boolean; transposeB?: boolean } = {},
): DenseMatrix {
  return tidy(() => {
    let left = upload(a.values, a.rows, a.columns);
    let right = upload(b.values, b.rows, b.columns);
    if (options.transposeA) left = left.transpose();
    if (options.transposeB) right = right.transpose();
    const product = matmul(left, right);
    const [rows, columns] = product.shape as [number, number];
    return { values: product.toTypedArray() as Float32Array, rows, columns };
  });
}

/** A row-major float32 matrix. */
export interface DenseMatrix {
  values: Float32Array;
  rows: number;
  columns: number;
}
