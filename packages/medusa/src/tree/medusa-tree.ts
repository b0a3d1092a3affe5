/**
 * A Medusa tree built from a list of paths, with the buffers the reference
 * implementation builds in `generate_medusa_buffers`
 * (FasterDecoding/Medusa, `medusa/model/utils.py`):
 *
 * - node 0 is the root (the base model's next token); node i >= 1 is the
 *   i-th path of the choices sorted by (length, then lexicographically);
 * - `attentionMask` [N, N]: node i sees node j when j is i, the root, or
 *   an ancestor of i (`medusa_attn_mask`);
 * - `positionIds` [N]: the depth of each node, root 0 (`medusa_position_ids`,
 *   added to the prefix length: siblings share a position);
 * - `treeIndices` [N]: where each node's token sits in the flat candidate
 *   list [root, head 1's top-k, head 2's top-k, ...] (`tree_indices`: last
 *   rank + topK * (depth - 1) + 1);
 * - `retrieveIndices` [leaves, depth + 1]: the nodes along each root-to-leaf
 *   path, -1 past its end (`retrieve_indices`), leaves in the reference's
 *   order (sorted choices walked from the last).
 */
import { TreeError } from '../errors.js';

/** A tree of draft paths and its buffers. */
export interface MedusaTree {
  /** The paths, sorted by (length, lexicographic): node i + 1 is choices[i]. */
  readonly choices: readonly (readonly number[])[];
  /** Nodes including the root (choices + 1). */
  readonly size: number;
  /** The longest path: heads the tree needs. */
  readonly depth: number;
  /** Candidates taken from each head (the reference's TOPK). */
  readonly topK: number;
  /** Parent node of each node (-1 for the root). */
  readonly parents: Int32Array;
  /** Depth of each node (root 0) = `positionIds`. */
  readonly depths: Int32Array;
  /** The candidate rank of each node within its head (-1 for the root). */
  readonly ranks: Int32Array;
  /** [size, size] row-major, 1 where node i attends node j. */
  readonly attentionMask: Uint8Array;
  /** The reference's `medusa_position_ids`. */
  readonly positionIds: Int32Array;
  /** The reference's `tree_indices`. */
  readonly treeIndices: Int32Array;
  /** The reference's `retrieve_indices`, row-major [leaves, depth + 1], -1 as padding. */
  readonly retrieveIndices: Int32Array;
  /** [leaves, depth + 1]. */
  readonly retrieveShape: readonly [number, number];
}

const OP = 'medusaTree';

function compare(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Builds a tree and its buffers from paths.
 * @param choices - paths of candidate ranks (each path's prefixes must be paths too)
 * @param options - `topK`: candidates per head (ranks must be below it), default 10
 * @returns the tree
 * @throws TreeError for an empty path, a negative or too large rank, a duplicate, or a path whose parent is not in the list
 * @example
 * const tree = medusaTree([[0], [1], [0, 0]]);
 * tree.parents // Int32Array [-1, 0, 0, 1]
 * tree.positionIds // Int32Array [0, 1, 1, 2]
 * tree.treeIndices // Int32Array [0, 1, 2, 11]
 */
export function medusaTree(
  choices: readonly (readonly number[])[],
  options: { topK?: number } = {},
): MedusaTree {
  const topK = options.topK ?? 10;
  if (!Number.isSafeInteger(topK) || topK < 1)
    throw new TreeError(OP, `topK must be a positive integer, got ${topK}`);
  if (!Array.isArray(choices)) throw new TreeError(OP, 'choices must be a list of paths');
  for (const path of choices) {
    if (!Array.isArray(path) || path.length === 0)
      throw new TreeError(OP, `every path needs at least one rank, got ${JSON.stringify(path)}`);
    for (const rank of path)
      if (!Number.isSafeInteger(rank) || rank < 0 || rank >= topK)
        throw new TreeError(
          OP,
          `path ${JSON.stringify(path)} has rank ${rank}, outside [0, ${topK}) (topK)`,
          path,
        );
  }
  const sorted = choices.map((path) => [...path]).sort(compare);
  const index = new Map<string, number>();
  sorted.forEach((path, i) => {
    const key = path.join(',');
    if (index.has(key)) throw new TreeError(OP, `path ${JSON.stringify(path)} appears twice`, path);
    index.set(key, i + 1);
  });
  const size = sorted.length + 1;
  const parents = new Int32Array(size).fill(-1);
  const depths = new Int32Array(size);
  const ranks = new Int32Array(size).fill(-1);
  const treeIndices = new Int32Array(size);
  sorted.forEach((path, i) => {
    const node = i + 1;
    const parentKey = path.slice(0, -1).join(',');
    const parent = path.length === 1 ? 0 : index.get(parentKey);
    if (parent === undefined)
      throw new TreeError(
        OP,
        `path ${JSON.stringify(path)} needs its parent [${parentKey}] in the list`,
        path,
      );
    parents[node] = parent;
    depths[node] = path.length;
    ranks[node] = path[path.length - 1]!;
    treeIndices[node] = path[path.length - 1]! + topK * (path.length - 1) + 1;
  });
  const attentionMask = new Uint8Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = i; j !== -1; j = parents[j]!) attentionMask[i * size + j] = 1;
  const depth = sorted.reduce((d, path) => Math.max(d, path.length), 0);
  // Leaves in the reference's order: walk the sorted paths from the last, skip covered prefixes.
  const covered = new Set<string>();
  const rows: number[][] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const path = sorted[i]!;
    if (covered.has(path.join(','))) continue;
    const row = [0];
    for (let c = 1; c <= path.length; c++) {
      const key = path.slice(0, c).join(',');
      row.push(index.get(key)!);
      covered.add(key);
    }
    rows.push(row);
  }
  if (rows.length === 0) rows.push([0]);
  const width = depth + 1;
  const retrieveIndices = new Int32Array(rows.length * width).fill(-1);
  rows.forEach((row, r) => retrieveIndices.set(row, r * width));
  return {
    choices: sorted,
    size,
    depth,
    topK,
    parents,
    depths,
    ranks,
    attentionMask,
    positionIds: depths,
    treeIndices,
    retrieveIndices,
    retrieveShape: [rows.length, width],
  };
}
