/**
 * Tile plans: which (query block, key block) tiles a tiled kernel visits, and
 * which of them need an element-by-element check.
 *
 * Shapes: queries are cut into blocks of Br = blockQuery rows, keys into
 * blocks of Bc = blockKey columns. For query block qb (rows [i0, i1), at
 * positions [i0 + off, i1 + off) with off = M - N) the plan lists its key
 * blocks in increasing order with a `partial` flag. Tiles are *skipped*, not
 * masked, when no pair in them can take part: key blocks past the last
 * query's position under `causal` (the tiles above the diagonal), blocks
 * outside a sparse pattern's key ranges, and blocks where the boolean mask is
 * all false. Tiles that are only partly allowed (the diagonal, a window's
 * edge, a mixed mask block) are flagged `partial`, and the kernel evaluates
 * `allowed()` for each of their elements; all other tiles run unmasked.
 *
 * Cost of planning: O(number of candidate tiles), plus one scan of the mask's
 * elements inside candidate tiles when there is a mask.
 */
import type { AttentionProblem } from './problem.js';

/** The tiles of one (batch, head), by query block (forward) or by key block (backward). */
export interface TilePlan {
  /** Entries of outer block `o` are `[start[o], start[o + 1])`. */
  readonly start: Int32Array;
  /** The inner block index of each entry (a key block in a forward plan, a query block in a transposed one). */
  readonly block: Int32Array;
  /** 1 where the tile needs the element check. */
  readonly partial: Uint8Array;
}

/** True when query row `i` may attend key `j` in (b, h) (the element check of partial tiles). */
export type AllowedFn = (i: number, j: number) => boolean;

/** The element rule of (b, h): causality, the mask and the pattern combined. */
export function allowedFn(problem: AttentionProblem, b: number, h: number): AllowedFn {
  const { causal, mask, pattern } = problem;
  const off = problem.keys - problem.queries;
  const maskBase = mask ? mask.offset + b * mask.strides[0] + h * mask.strides[1] : 0;
  const sN = mask ? mask.strides[2] : 0;
  const sM = mask ? mask.strides[3] : 0;
  const data = mask?.data;
  return (i, j) => {
    const p = i + off;
    if (causal && j > p) return false;
    if (data !== undefined && data[maskBase + i * sN + j * sM] === 0) return false;
    if (pattern !== null && !pattern.allows(p, j, h)) return false;
    return true;
  };
}

/** 0: no element allowed, 1: some, 2: all (mask only). */
function scanMask(
  problem: AttentionProblem,
  b: number,
  h: number,
  i0: number,
  i1: number,
  j0: number,
  j1: number,
): number {
  const mask = problem.mask!;
  const base = mask.offset + b * mask.strides[0] + h * mask.strides[1];
  const [, , sN, sM] = mask.strides;
  let kept = 0;
  for (let i = i0; i < i1; i++) {
    const row = base + i * sN;
    for (let j = j0; j < j1; j++) kept += mask.data[row + j * sM]!;
  }
  return kept === 0 ? 0 : kept === (i1 - i0) * (j1 - j0) ? 2 : 1;
}

/**
 * The forward tile plan of (b, h): for each query block, its key blocks.
 * @returns the plan, outer index = query block
 */
export function buildTilePlan(problem: AttentionProblem, b: number, h: number): TilePlan {
  const { queries: N, keys: M, blockQuery: Br, blockKey: Bc, causal, pattern } = problem;
  const off = M - N;
  const queryBlocks = Math.ceil(N / Br);
  const keyBlocks = Math.ceil(M / Bc);
  const start = new Int32Array(queryBlocks + 1);
  const blocks: number[] = [];
  const partials: number[] = [];
  const candidate = new Uint8Array(keyBlocks);
  for (let qb = 0; qb < queryBlocks; qb++) {
    start[qb] = blocks.length;
    const i0 = qb * Br;
    const i1 = Math.min(N, i0 + Br);
    const p0 = i0 + off;
    const p1 = i1 + off; // exclusive
    const keyLimit = causal ? Math.min(M, p1) : M;
    if (keyLimit <= 0) continue;
    const lastBlock = Math.ceil(keyLimit / Bc);
    if (pattern === null) candidate.fill(1, 0, lastBlock);
    else {
      candidate.fill(0);
      const ranges = pattern.keyRanges(Math.max(p0, 0), p1, keyLimit, h);
      for (let r = 0; r < ranges.length; r += 2) {
        const from = Math.floor(ranges[r]! / Bc);
        const to = Math.ceil(ranges[r + 1]! / Bc);
        candidate.fill(1, from, to);
      }
    }
    for (let kb = 0; kb < lastBlock; kb++) {
      if (candidate[kb] === 0) continue;
      const j0 = kb * Bc;
      const j1 = Math.min(M, j0 + Bc);
      let partial = causal && j1 - 1 > p0;
      if (pattern !== null && !pattern.covers(p0, p1, j0, j1, h)) partial = true;
      if (problem.mask !== null) {
        const state = scanMask(problem, b, h, i0, i1, j0, j1);
        if (state === 0) continue;
        if (state === 1) partial = true;
      }
      blocks.push(kb);
      partials.push(partial ? 1 : 0);
    }
  }
  start[queryBlocks] = blocks.length;
  return { start, block: Int32Array.from(blocks), partial: Uint8Array.from(partials) };
}

/**
 * The same tiles grouped by key block (the backward pass walks key blocks outermost).
 * @param plan - a forward plan
 * @param keyBlocks - number of key blocks, ceil(M / Bc)
 */
export function transposeTilePlan(plan: TilePlan, keyBlocks: number): TilePlan {
  const count = new Int32Array(keyBlocks + 1);
  for (let e = 0; e < plan.block.length; e++) count[plan.block[e]! + 1]!++;
  for (let kb = 0; kb < keyBlocks; kb++) count[kb + 1]! += count[kb]!;
  const start = count.slice();
  const fill = count.slice(0, keyBlocks);
  const block = new Int32Array(plan.block.length);
  const partial = new Uint8Array(plan.block.length);
  for (let qb = 0; qb + 1 < plan.start.length; qb++) {
    for (let e = plan.start[qb]!; e < plan.start[qb + 1]!; e++) {
      const at = fill[plan.block[e]!]!++;
      block[at] = qb;
      partial[at] = plan.partial[e]!;
    }
  }
  return { start, block, partial };
}

/**
 * Caches plans per distinct (mask slice, pattern head) within one kernel call,
 * so a mask broadcast over batch and heads is scanned once.
 */
export function tilePlanCache(problem: AttentionProblem): (b: number, h: number) => TilePlan {
  const cache = new Map<string, TilePlan>();
  const { mask, pattern } = problem;
  return (b, h) => {
    const maskBase = mask ? b * mask.strides[0] + h * mask.strides[1] : 0;
    const key = `${maskBase}:${pattern?.perHead ? h : 0}`;
    let plan = cache.get(key);
    if (plan === undefined) {
      plan = buildTilePlan(problem, b, h);
      cache.set(key, plan);
    }
    return plan;
  };
}

/**
 * What every flash kernel (forward and backward, js and wasm) derives from a
 * problem before its loops: query heads per key/value head, the causal
 * offset of the last query, whether the mask is plain causal (no tile plan
 * needed), the dropout rate and the scale of kept values, and the tile-plan
 * cache.
 * @param problem - the attention problem
 * @returns the derived values
 */
export function flashSetup(problem: AttentionProblem) {
  const dropout = problem.dropout;
  return {
    group: problem.heads / problem.kvHeads,
    off: problem.keys - problem.queries,
    simpleCausal: problem.causal && problem.mask === null && problem.pattern === null,
    dropout,
    keepScale: dropout > 0 ? 1 / (1 - dropout) : 1,
    planFor: tilePlanCache(problem),
  };
}
