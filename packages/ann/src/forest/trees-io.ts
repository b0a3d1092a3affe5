/**
 * Writing and reading `ForestTrees`, with the checks that make a loaded
 * forest safe to walk: every child id is larger than its parent's (no
 * cycles) and below the node count, leaf and hyperplane references are in
 * range, and leaf slots name stored vectors.
 */
import { CorruptIndexError } from '../errors.js';
import type { ByteReader, ByteWriter } from '../io/binary.js';
import { ForestTrees } from './trees.js';

/** Writes the nodes, hyperplanes, leaves and roots. */
export function writeTrees(trees: ForestTrees, writer: ByteWriter): void {
  const n = trees.nodeCount;
  writer.u32(n);
  writer.i32Array(trees.child0.subarray(0, n));
  writer.i32Array(trees.child1.subarray(0, n));
  writer.f32Array(trees.offsets.subarray(0, n));
  writer.i32Array(trees.normalStart.subarray(0, n));
  writer.u32(trees.normalsUsed);
  writer.f32Array(trees.normals.subarray(0, trees.normalsUsed));
  writer.u32(trees.leafItems.length);
  for (let leaf = 0; leaf < trees.leafItems.length; leaf++) {
    const length = trees.leafLengths[leaf]!;
    writer.u32(length);
    writer.i32Array(trees.leafItems[leaf]!.subarray(0, length));
  }
  writer.i32Array(trees.roots);
  writer.u32(trees.freeLeaves.length);
  writer.i32Array(Int32Array.from(trees.freeLeaves));
}

/**
 * Reads trees written by `writeTrees` into `target` (a fresh forest of the same shape).
 * @throws CorruptIndexError for an out-of-range or cyclic reference
 */
export function readTrees(
  reader: ByteReader,
  op: string,
  target: ForestTrees,
  slotCount: number,
): ForestTrees {
  const corrupt = (message: string) => new CorruptIndexError(op, 'structure', message);
  const trees = new ForestTrees(
    target.dimension,
    target.treeCount,
    target.leafSize,
    target.angular,
  );
  const n = reader.u32();
  trees.nodeCount = n;
  trees.child0 = reader.i32Array(n);
  trees.child1 = reader.i32Array(n);
  trees.offsets = reader.f32Array(n);
  trees.normalStart = reader.i32Array(n);
  trees.normalsUsed = reader.u32();
  trees.normals = reader.f32Array(trees.normalsUsed);
  if (trees.normals.length === 0) trees.normals = new Float32Array(trees.dimension);
  const leaves = reader.count('leaf count', 4); // each leaf starts with its u32 length
  trees.leafItems = [];
  trees.leafLengths = new Int32Array(Math.max(leaves, 1));
  trees.freeLeaves = [];
  const used = new Uint8Array(leaves);
  for (let leaf = 0; leaf < leaves; leaf++) {
    const length = reader.u32();
    const items = reader.i32Array(length);
    for (let i = 0; i < length; i++)
      if (items[i]! < 0 || items[i]! >= slotCount)
        throw corrupt(`leaf ${leaf} holds invalid slot ${items[i]}`);
    const stored = new Int32Array(Math.max(8, length));
    stored.set(items);
    trees.leafItems.push(stored);
    trees.leafLengths[leaf] = length;
  }
  trees.roots = reader.i32Array(trees.treeCount);
  for (let node = 0; node < n; node++) {
    const c0 = trees.child0[node]!;
    if (c0 < 0) {
      const leaf = -1 - c0;
      if (leaf >= leaves || used[leaf])
        throw corrupt(`node ${node} names invalid or shared leaf ${leaf}`);
      used[leaf] = 1;
      continue;
    }
    const c1 = trees.child1[node]!;
    if (c0 <= node || c1 <= node || c0 >= n || c1 >= n)
      throw corrupt(`node ${node} has invalid children ${c0}, ${c1}`);
    const start = trees.normalStart[node]!;
    if (
      start < 0 ||
      start + trees.dimension > trees.normalsUsed ||
      !Number.isFinite(trees.offsets[node]!)
    )
      throw corrupt(`node ${node} has an invalid hyperplane`);
  }
  trees.freeLeaves = Array.from(reader.i32Array(reader.u32()));
  let unused = 0;
  for (let leaf = 0; leaf < leaves; leaf++) if (!used[leaf]) unused++;
  for (const leaf of trees.freeLeaves)
    if (leaf < 0 || leaf >= leaves || used[leaf] !== 0)
      throw corrupt(`free leaf ${leaf} is in use or out of range`);
  if (unused !== trees.freeLeaves.length)
    throw corrupt(`${unused} unused leaves, ${trees.freeLeaves.length} listed free`);
  for (const root of trees.roots) if (root < 0 || root >= n) throw corrupt(`invalid root ${root}`);
  return trees;
}
