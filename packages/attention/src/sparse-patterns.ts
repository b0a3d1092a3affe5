/**
 * Sparse attention patterns: which keys each query may attend, defined on
 * positions (query i of N sits at position p = i + M - N, key j at j). The
 * tiled kernel visits only the (query block, key block) tiles a pattern
 * touches and checks elements only on tiles the pattern covers partly, so
 * the cost is proportional to the kept blocks. `patternMask` gives the
 * equivalent dense boolean mask (what naive attention uses, and what tests
 * compare with).
 *
 * - `slidingWindow(w)`: local attention, |p - j| < w (with `causal`: the w
 *   most recent keys, p - w < j <= p). Longformer / Mistral style.
 * - `strided(l)`: the Sparse Transformer's strided pattern (Child et al.
 *   2019, section 4.1), both heads' sets in one: |p - j| < l, or p - j a
 *   multiple of l.
 * - `blockSparse(layout, b)`: a user layout of b x b blocks (BigBird /
 *   DeepSpeed style), one for all heads or one per head.
 */
import { type Tensor, tensor } from '@x/tensor';
import { AttentionShapeError, AttentionValueError } from './errors.js';
import type { KeyPattern } from './kernels/problem.js';

/** A sparsity pattern for `attention(..., { sparse })`. Build one with the functions of this file. */
export interface SparsePattern extends KeyPattern {
  /**
   * Throws when the pattern cannot serve a call of this size (a layout too small, too few heads).
   * @param queries - N
   * @param keys - M
   * @param heads - H
   */
  validate(queries: number, keys: number, heads: number): void;
}

function checkPositiveInteger(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new AttentionValueError(
      op,
      `${name} must be a positive integer, got ${String(value)}`,
      name,
      value,
    );
  return value;
}

/**
 * Sliding-window (local) attention: each query attends keys within `window`
 * positions, |p - j| < window; combined with `causal`, the `window` most
 * recent keys including its own position.
 * @param window - keys on each side, including the query's own position (>= 1)
 * @returns the pattern
 * @throws AttentionValueError when window is not a positive integer
 * @example
 * const out = attention(q, k, v, { causal: true, sparse: slidingWindow(256), implementation: 'sparse' });
 * slidingWindow(2).allows(5, 4, 0) // true
 */
export function slidingWindow(window: number): SparsePattern {
  const w = checkPositiveInteger('slidingWindow', 'window', window);
  return {
    name: `window(${w})`,
    perHead: false,
    allows: (p, j) => Math.abs(p - j) < w,
    keyRanges: (p0, p1, keys) => {
      const start = Math.max(0, p0 - w + 1);
      const end = Math.min(keys, p1 - 1 + w);
      return end > start ? [start, end] : [];
    },
    covers: (p0, p1, j0, j1) => Math.max(p1 - 1 - j0, j1 - 1 - p0) < w,
    validate: () => undefined,
  };
}

/**
 * The Sparse Transformer's strided pattern: a query attends the `stride`
 * keys around it (|p - j| < stride) and every key a multiple of `stride`
 * away ((p - j) mod stride = 0). With `causal`, only keys at or before p.
 * @param stride - l in the paper, about sqrt(N) (>= 1)
 * @returns the pattern
 * @throws AttentionValueError when stride is not a positive integer
 * @example
 * strided(4).allows(9, 1, 0) // true (9 - 1 = 8 is a multiple of 4)
 */
export function strided(stride: number): SparsePattern {
  const l = checkPositiveInteger('strided', 'stride', stride);
  return {
    name: `strided(${l})`,
    perHead: false,
    allows: (p, j) => Math.abs(p - j) < l || (p - j) % l === 0,
    keyRanges: (p0, p1, keys) => {
      if (p1 - p0 >= l) return keys > 0 ? [0, keys] : [];
      const intervals: [number, number][] = [[Math.max(0, p0 - l + 1), Math.min(keys, p1 - 1 + l)]];
      const first = -Math.ceil(p1 / l);
      const last = Math.ceil((keys - p0) / l);
      for (let t = first; t <= last; t++)
        intervals.push([Math.max(0, p0 + t * l), Math.min(keys, p1 + t * l)]);
      return mergeIntervals(intervals);
    },
    covers: (p0, p1, j0, j1) => Math.max(p1 - 1 - j0, j1 - 1 - p0) < l,
    validate: () => undefined,
  };
}

function mergeIntervals(intervals: [number, number][]): number[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [a, b] of sorted) {
    if (out.length > 0 && a <= out[out.length - 1]!)
      out[out.length - 1] = Math.max(out[out.length - 1]!, b);
    else out.push(a, b);
  }
  return out;
}

/** A block layout: rows of query blocks, columns of key blocks; or one such grid per head. */
export type BlockLayout =
  | readonly (readonly (boolean | number)[])[]
  | readonly (readonly (readonly (boolean | number)[])[])[];

/**
 * Block-sparse attention with a user layout: the query at position p may
 * attend key j when `layout[floor(p / blockSize)][floor(j / blockSize)]` is
 * true (or `layout[h][...][...]` per head). The kernel tiles by `blockSize`,
 * so its cost is the number of true blocks.
 * @param layout - a [rows][cols] grid of booleans (or 0 / 1), or [heads][rows][cols]
 * @param blockSize - positions per block (the kernel's tile size)
 * @returns the pattern
 * @throws AttentionShapeError for a ragged layout
 * @example
 * const local = blockSparse([[1, 0], [1, 1]], 64); // causal at block level, 128 positions
 * local.allows(70, 3, 0) // true
 */
export function blockSparse(layout: BlockLayout, blockSize: number): SparsePattern {
  const bs = checkPositiveInteger('blockSparse', 'blockSize', blockSize);
  const perHead = Array.isArray(layout[0]?.[0]);
  const grids = (perHead ? layout : [layout]) as readonly (readonly (readonly (
    | boolean
    | number
  )[])[])[];
  const rows = grids[0]?.length ?? 0;
  const cols = grids[0]?.[0]?.length ?? 0;
  const bits = new Uint8Array(grids.length * rows * cols);
  grids.forEach((grid, h) => {
    if (grid.length !== rows || grid.some((row) => row.length !== cols))
      throw new AttentionShapeError(
        'blockSparse',
        `layout must be rectangular, every grid ${rows} x ${cols}`,
        [[grids.length, rows, cols]],
      );
    grid.forEach((row, r) =>
      row.forEach((kept, c) => (bits[(h * rows + r) * cols + c] = kept ? 1 : 0)),
    );
  });
  const at = (h: number, r: number, c: number) =>
    r < rows && c < cols ? bits[((perHead ? h : 0) * rows + r) * cols + c]! : 0;
  return {
    name: `blockSparse(${rows}x${cols}, ${bs})`,
    perHead,
    blockSize: bs,
    allows: (p, j, h) => at(h, Math.floor(p / bs), Math.floor(j / bs)) === 1,
    keyRanges: (p0, p1, keys, h) => {
      const intervals: [number, number][] = [];
      for (let r = Math.floor(p0 / bs); r <= Math.floor((p1 - 1) / bs); r++) {
        for (let c = 0; c * bs < keys; c++)
          if (at(h, r, c) === 1) intervals.push([c * bs, Math.min(keys, (c + 1) * bs)]);
      }
      return mergeIntervals(intervals);
    },
    covers: (p0, p1, j0, j1, h) => {
      for (let r = Math.floor(p0 / bs); r <= Math.floor((p1 - 1) / bs); r++) {
        for (let c = Math.floor(j0 / bs); c <= Math.floor((j1 - 1) / bs); c++)
          if (at(h, r, c) === 0) return false;
      }
      return true;
    },
    validate: (queries, keys, heads) => {
      const needed = Math.ceil(keys / bs);
      if (rows < needed || cols < needed)
        throw new AttentionShapeError(
          'attention',
          `blockSparse layout is ${rows} x ${cols} blocks, ${keys} positions of block size ${bs} need ${needed} x ${needed}`,
          [
            [rows, cols],
            [queries, keys],
          ],
        );
      if (perHead && grids.length !== heads)
        throw new AttentionShapeError(
          'attention',
          `blockSparse has ${grids.length} per-head layouts for ${heads} heads`,
          [[grids.length], [heads]],
        );
    },
  };
}

/**
 * The dense boolean mask equivalent to a pattern: [H, N, M] for a per-head
 * pattern, else [1, N, M] (broadcast over heads), at the positions
 * attention uses (query i at i + M - N).
 * @param pattern - a sparse pattern
 * @param queries - N
 * @param keys - M
 * @param heads - H
 * @returns a bool tensor
 * @example
 * patternMask(slidingWindow(2), 3, 3, 1).toArray()
 * // [[[true, true, false], [true, true, true], [false, true, true]]]
 */
export function patternMask(
  pattern: KeyPattern,
  queries: number,
  keys: number,
  heads: number,
): Tensor {
  const count = pattern.perHead ? heads : 1;
  const bits = new Uint8Array(count * queries * keys);
  const off = keys - queries;
  for (let h = 0; h < count; h++) {
    for (let i = 0; i < queries; i++) {
      const row = (h * queries + i) * keys;
      for (let j = 0; j < keys; j++) bits[row + j] = pattern.allows(i + off, j, h) ? 1 : 0;
    }
  }
  return tensor(bits, { shape: [count, queries, keys], dtype: 'bool' });
}
