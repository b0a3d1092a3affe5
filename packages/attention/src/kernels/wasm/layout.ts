/**
 * Row copies inside @x/tensor's memory that lay operands out for the wasm
 * kernels (rows padded to a vector width, blocks transposed), on a
 * Float32Array view of the whole memory; indices are float indices.
 */

/** `n` rows of `cols` floats at `from` into rows of `width` floats at `base`. */
export function storeRows(
  heap: Float32Array,
  base: number,
  from: number,
  n: number,
  cols: number,
  width: number,
): void {
  for (let i = 0; i < n; i++)
    heap.copyWithin(base + i * width, from + i * cols, from + (i + 1) * cols);
}

/** heap[base + (block(i) * rowsPerBlock + x) * width + (i mod block)] = heap[from + i * cols + x] */
export function storeBlocksTransposed(
  heap: Float32Array,
  base: number,
  from: number,
  n: number,
  cols: number,
  block: number,
  rowsPerBlock: number,
  width: number,
): void {
  for (let i = 0; i < n; i++) {
    const bi = Math.floor(i / block);
    const at = base + bi * rowsPerBlock * width + (i - bi * block);
    const row = from + i * cols;
    for (let x = 0; x < cols; x++) heap[at + x * width] = heap[row + x]!;
  }
}
