/**
 * Tree attention masks for speculative decoding (Medusa, SpecInfer): a
 * draft tree of T candidate tokens is verified in one forward pass by
 * appending all T tokens after the prefix and letting each attend only the
 * prefix, its ancestors and itself. Nodes are given by their parent index
 * (-1: a child of the prefix's last token), in topological order (each parent
 * before its children). Positions for RoPE are prefix length + depth, so a
 * node sees exactly what it would see if its branch were decoded alone.
 */
import { type Tensor, tensor } from '@x/tensor';
import { AttentionValueError } from './errors.js';

function checkTree(op: string, parents: readonly number[], prefixLength: number): void {
  if (!Number.isSafeInteger(prefixLength) || prefixLength < 0)
    throw new AttentionValueError(
      op,
      `prefixLength must be a non-negative integer, got ${prefixLength}`,
      'prefixLength',
      prefixLength,
    );
  parents.forEach((parent, t) => {
    if (!Number.isSafeInteger(parent) || parent < -1 || parent >= t)
      throw new AttentionValueError(
        op,
        `parents[${t}] = ${parent}: each parent must be -1 or an earlier node index`,
        'parents',
        parent,
      );
  });
}

/**
 * The boolean mask [T, prefixLength + T] of a draft tree: node t attends
 * every prefix position and the tree nodes on its path from the root.
 * @param parents - parent index of each node, -1 for children of the prefix
 * @param prefixLength - tokens already in the cache before the tree
 * @returns a bool tensor for `attention(..., { mask })` with M = prefixLength + T keys
 * @throws AttentionValueError when a parent is not an earlier node or -1
 * @example
 * // prefix of 1 token; nodes 0 and 1 are alternatives, node 2 follows node 0
 * treeMask([-1, -1, 0], 1).toArray()
 * // [[true, true, false, false],
 * //  [true, false, true, false],
 * //  [true, true, false, true]]
 */
export function treeMask(parents: readonly number[], prefixLength: number): Tensor {
  checkTree('treeMask', parents, prefixLength);
  const T = parents.length;
  const M = prefixLength + T;
  const bits = new Uint8Array(T * M);
  for (let t = 0; t < T; t++) {
    bits.fill(1, t * M, t * M + prefixLength);
    for (let node = t; node !== -1; node = parents[node]!) bits[t * M + prefixLength + node] = 1;
  }
  return tensor(bits, { shape: [T, M], dtype: 'bool' });
}

/**
 * The position of each tree node: prefixLength + its depth (roots at depth 0).
 * @param parents - parent index of each node, -1 for children of the prefix
 * @param prefixLength - tokens before the tree
 * @returns positions for `rope`
 * @throws AttentionValueError when a parent is not an earlier node or -1
 * @example
 * treePositions([-1, -1, 0], 5) // Int32Array [5, 5, 6]
 */
export function treePositions(parents: readonly number[], prefixLength: number): Int32Array {
  checkTree('treePositions', parents, prefixLength);
  const positions = new Int32Array(parents.length);
  parents.forEach(
    (parent, t) => (positions[t] = parent === -1 ? prefixLength : positions[parent]! + 1),
  );
  return positions;
}

/**
 * The node indices on the path from the root to `node`, root first (the
 * cache positions to keep, offset by the prefix length, when that branch is
 * accepted: see `KVCache.gather`).
 * @param parents - parent index of each node
 * @param node - a node index
 * @returns the path
 * @example
 * treePath([-1, -1, 0], 2) // [0, 2]
 */
export function treePath(parents: readonly number[], node: number): number[] {
  if (!Number.isSafeInteger(node) || node < 0 || node >= parents.length)
    throw new AttentionValueError(
      'treePath',
      `node ${node} is outside [0, ${parents.length})`,
      'node',
      node,
    );
  const path: number[] = [];
  for (let n = node; n !== -1; n = parents[n]!) path.push(n);
  return path.reverse();
}
