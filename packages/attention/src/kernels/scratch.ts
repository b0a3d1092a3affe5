/**
 * Accounting of the kernels' scratch buffers. The kernels work on plain
 * Float64Arrays that live outside any tensor backend (tiles, per-head copies
 * of K and V, gradient accumulators), so @x/tensor's `memory()` cannot see
 * them; every kernel allocates them here and releases them before it returns,
 * so `scratchMemory()` reports live and peak scratch bytes next to the
 * backend's figures. Intermediate memory of an attention call is the
 * backend's peak growth plus this peak.
 */

let liveBytes = 0;
let peakBytes = 0;
let buffers = 0;

/** Live and peak bytes of the attention kernels' scratch buffers. */
export interface ScratchMemoryInfo {
  /** Scratch buffers currently allocated (0 between calls). */
  readonly buffers: number;
  /** Bytes they hold. */
  readonly bytes: number;
  /** The largest `bytes` seen since the last `resetScratchPeak()`. */
  readonly peakBytes: number;
}

/**
 * Allocates a zero-filled Float64Array scratch buffer and counts it (internal).
 * @param length - number of elements
 * @returns the buffer
 */
export function allocScratch(length: number): Float64Array {
  const array = new Float64Array(length);
  buffers++;
  liveBytes += array.byteLength;
  if (liveBytes > peakBytes) peakBytes = liveBytes;
  return array;
}

/**
 * Returns scratch buffers to the accounting (internal; the GC frees them).
 * @param arrays - buffers obtained from `allocScratch`
 */
export function releaseScratch(...arrays: Float64Array[]): void {
  for (const array of arrays) {
    buffers--;
    liveBytes -= array.byteLength;
  }
}

/**
 * Counts `bytes` of scratch memory held outside Float64Arrays (the region of
 * the WebAssembly module's memory a SIMD kernel call uses), until the
 * returned function is called (internal).
 * @param bytes - bytes in use
 * @returns the release function
 */
export function holdScratchBytes(bytes: number): () => void {
  buffers++;
  liveBytes += bytes;
  if (liveBytes > peakBytes) peakBytes = liveBytes;
  return () => {
    buffers--;
    liveBytes -= bytes;
  };
}

/**
 * Live and peak bytes of the attention kernels' scratch buffers (tiles,
 * per-head copies, accumulators), which live outside the tensor backend.
 * @returns the counters
 * @example
 * resetScratchPeak();
 * attention(q, k, v, { implementation: 'flash' });
 * scratchMemory().peakBytes // about 1.1e6 for one head, N = M = 1024, d = 64 (K and V copies, tiles)
 */
export function scratchMemory(): ScratchMemoryInfo {
  return { buffers, bytes: liveBytes, peakBytes };
}

/** Restarts scratch peak tracking from the current live bytes. */
export function resetScratchPeak(): void {
  peakBytes = liveBytes;
}
