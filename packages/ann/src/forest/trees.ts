/**
 * Random-projection trees as Annoy builds them (Erik Bernhardsson,
 * spotify/annoy `annoylib.h`): each inner node splits its points by a
 * hyperplane chosen from two centroids of a quick 2-means on the node's
 * points (`two_means`, 200 incremental steps); the hyperplane is their
 * perpendicular bisector (Euclidean) or passes through the origin between
 * the normalized centroids (angular). Leaves hold at most `leafSize` slots.
 *
 * Layout (one pool for all trees): per node `child0`, `child1` (a leaf has
 * `child0 = -1 - leafIndex`), the hyperplane `offsets[node]` and its unit
 * normal at `normals[normalStart[node]..+d]`; leaf slot lists in
 * `leafItems[leafIndex]` with `leafLengths`. A child's id is always larger
 * than its parent's (children are allocated after the parent, and a split
 * leaf keeps its id), which the loader checks to rule out cycles.
 */
import type { Generator } from '@x/tensor';

const SPLIT_STEPS = 200;
const MAX_IMBALANCE = 0.95;

/** Node, hyperplane and leaf storage of a forest. */
export class ForestTrees {
  nodeCount = 0;
  child0: Int32Array = new Int32Array(64);
  child1: Int32Array = new Int32Array(64);
  offsets: Float32Array = new Float32Array(64);
  normalStart: Int32Array = new Int32Array(64);
  normals: Float32Array;
  normalsUsed = 0;
  leafItems: Int32Array[] = [];
  leafLengths: Int32Array = new Int32Array(64);
  freeLeaves: number[] = [];
  /** Root node of each tree. */
  roots: Int32Array;
  private readonly p: Float32Array;
  private readonly q: Float32Array;

  constructor(
    readonly dimension: number,
    readonly treeCount: number,
    readonly leafSize: number,
    readonly angular: boolean,
  ) {
    this.normals = new Float32Array(64 * dimension);
    this.roots = new Int32Array(treeCount);
    for (let t = 0; t < treeCount; t++) this.roots[t] = this.newLeaf();
    this.p = new Float32Array(dimension);
    this.q = new Float32Array(dimension);
  }

  /** Whether `node` is a leaf. */
  isLeaf(node: number): boolean {
    return this.child0[node]! < 0;
  }

  /** Signed distance of `vector[offset..+d]` to `node`'s hyperplane. */
  margin(node: number, vector: Float32Array, offset: number): number {
    const start = this.normalStart[node]!;
    const normals = this.normals;
    let s = this.offsets[node]!;
    for (let i = 0; i < this.dimension; i++) s += normals[start + i]! * vector[offset + i]!;
    return s;
  }

  /** The leaf of `tree` that `vector` descends to (margin > 0 goes to `child1`). */
  descend(tree: number, vector: Float32Array, offset: number): number {
    let node = this.roots[tree]!;
    while (this.child0[node]! >= 0)
      node = this.margin(node, vector, offset) > 0 ? this.child1[node]! : this.child0[node]!;
    return node;
  }

  /** Appends `slot` to the leaf `node`. */
  addToLeaf(node: number, slot: number): void {
    const leaf = -1 - this.child0[node]!;
    const length = this.leafLengths[leaf]!;
    let items = this.leafItems[leaf]!;
    if (length === items.length) {
      const grown = new Int32Array(Math.max(8, length * 2));
      grown.set(items);
      this.leafItems[leaf] = grown;
      items = grown;
    }
    items[length] = slot;
    this.leafLengths[leaf] = length + 1;
  }

  /** Removes `slot` from the leaf `node`; returns whether it was there. */
  removeFromLeaf(node: number, slot: number): boolean {
    const leaf = -1 - this.child0[node]!;
    const items = this.leafItems[leaf]!;
    const length = this.leafLengths[leaf]!;
    for (let i = 0; i < length; i++) {
      if (items[i] !== slot) continue;
      items[i] = items[length - 1]!;
      this.leafLengths[leaf] = length - 1;
      return true;
    }
    return false;
  }

  /**
   * Splits the leaf `node` top-down while it holds more than `leafSize`
   * slots (dropping removed ones). Points that no hyperplane separates
   * (duplicates) stay in one oversized leaf.
   */
  splitIfFull(
    node: number,
    vectors: Float32Array,
    deleted: Uint8Array,
    generator: Generator,
  ): void {
    const leaf = -1 - this.child0[node]!;
    if (this.leafLengths[leaf]! <= this.leafSize) return;
    const items = this.leafItems[leaf]!.subarray(0, this.leafLengths[leaf]!).filter(
      (s) => deleted[s] === 0,
    );
    this.freeLeaves.push(leaf);
    this.leafItems[leaf] = new Int32Array(0);
    this.leafLengths[leaf] = 0;
    this.build(node, items, vectors, generator);
  }

  /** Builds the subtree of `items` into the existing node id `node`. */
  private build(
    node: number,
    items: Int32Array,
    vectors: Float32Array,
    generator: Generator,
  ): void {
    if (items.length <= this.leafSize || !this.chooseSplit(node, items, vectors, generator)) {
      this.makeLeaf(node, items);
      return;
    }
    const sides = new Uint8Array(items.length);
    let right = 0;
    for (let i = 0; i < items.length; i++) {
      if (this.margin(node, vectors, items[i]! * this.dimension) > 0) {
        sides[i] = 1;
        right++;
      }
    }
    const rightItems = new Int32Array(right);
    const leftItems = new Int32Array(items.length - right);
    for (let i = 0, l = 0, r = 0; i < items.length; i++)
      if (sides[i]) rightItems[r++] = items[i]!;
      else leftItems[l++] = items[i]!;
    const left = this.allocateNode();
    const rightNode = this.allocateNode();
    this.child0[node] = left;
    this.child1[node] = rightNode;
    this.build(left, leftItems, vectors, generator);
    this.build(rightNode, rightItems, vectors, generator);
  }

  /** Sets `node`'s hyperplane from a 2-means split; false when no split separates the items. */
  private chooseSplit(
    node: number,
    items: Int32Array,
    vectors: Float32Array,
    generator: Generator,
  ): boolean {
    const d = this.dimension;
    let start = this.normalStart[node]!;
    if (start < 0) {
      start = this.allocateNormal();
      this.normalStart[node] = start;
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      this.twoMeans(items, vectors, generator);
      const p = this.p;
      const q = this.q;
      let norm = 0;
      for (let i = 0; i < d; i++) {
        const v = p[i]! - q[i]!;
        this.normals[start + i] = v;
        norm += v * v;
      }
      if (norm === 0) continue;
      const scale = 1 / Math.sqrt(norm);
      let offset = 0;
      for (let i = 0; i < d; i++) {
        const n = this.normals[start + i]! * scale;
        this.normals[start + i] = n;
        if (!this.angular) offset -= (n * (p[i]! + q[i]!)) / 2;
      }
      this.offsets[node] = offset;
      let right = 0;
      for (let i = 0; i < items.length; i++)
        if (this.margin(node, vectors, items[i]! * d) > 0) right++;
      const larger = Math.max(right, items.length - right);
      if (
        right > 0 &&
        right < items.length &&
        (larger / items.length <= MAX_IMBALANCE || attempt === 2)
      )
        return true;
    }
    return false;
  }

  /** Annoy's `two_means`: two centroids from incremental 2-means over random items. */
  private twoMeans(items: Int32Array, vectors: Float32Array, generator: Generator): void {
    const d = this.dimension;
    const count = items.length;
    const i = generator.integer(0, count);
    let j = generator.integer(0, count - 1);
    if (j >= i) j++;
    this.loadPoint(this.p, vectors, items[i]! * d);
    this.loadPoint(this.q, vectors, items[j]! * d);
    let ic = 1;
    let jc = 1;
    const x = new Float32Array(d);
    for (let step = 0; step < SPLIT_STEPS; step++) {
      this.loadPoint(x, vectors, items[generator.integer(0, count)]! * d);
      let di = 0;
      let dj = 0;
      for (let z = 0; z < d; z++) {
        di += (this.p[z]! - x[z]!) ** 2;
        dj += (this.q[z]! - x[z]!) ** 2;
      }
      di *= ic;
      dj *= jc;
      if (di < dj) {
        for (let z = 0; z < d; z++) this.p[z] = (this.p[z]! * ic + x[z]!) / (ic + 1);
        ic++;
      } else if (dj < di) {
        for (let z = 0; z < d; z++) this.q[z] = (this.q[z]! * jc + x[z]!) / (jc + 1);
        jc++;
      }
    }
  }

  /** Copies a point, normalized for angular trees. */
  private loadPoint(out: Float32Array, vectors: Float32Array, offset: number): void {
    let norm = 0;
    for (let z = 0; z < this.dimension; z++) {
      out[z] = vectors[offset + z]!;
      norm += out[z]! * out[z]!;
    }
    if (this.angular && norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let z = 0; z < this.dimension; z++) out[z] = out[z]! * scale;
    }
  }

  private makeLeaf(node: number, items: Int32Array): void {
    const leaf = this.freeLeaves.length > 0 ? this.freeLeaves.pop()! : this.leafItems.length;
    if (leaf === this.leafItems.length) this.leafItems.push(new Int32Array(0));
    if (leaf >= this.leafLengths.length) this.leafLengths = grow(this.leafLengths, leaf + 1);
    const stored = new Int32Array(Math.max(8, items.length + (items.length >> 1)));
    stored.set(items);
    this.leafItems[leaf] = stored;
    this.leafLengths[leaf] = items.length;
    this.child0[node] = -1 - leaf;
    this.child1[node] = 0;
  }

  /** A new empty leaf node (tree roots at creation). */
  private newLeaf(): number {
    const node = this.allocateNode();
    this.makeLeaf(node, new Int32Array(0));
    return node;
  }

  private allocateNode(): number {
    const node = this.nodeCount++;
    if (node >= this.child0.length) {
      const capacity = this.child0.length * 2;
      this.child0 = grow(this.child0, capacity);
      this.child1 = grow(this.child1, capacity);
      this.offsets = grow(this.offsets, capacity);
      this.normalStart = grow(this.normalStart, capacity);
    }
    this.normalStart[node] = -1;
    return node;
  }

  private allocateNormal(): number {
    const start = this.normalsUsed;
    this.normalsUsed += this.dimension;
    if (this.normalsUsed > this.normals.length)
      this.normals = grow(this.normals, this.normals.length * 2);
    return start;
  }

  /** Bytes held by the node arrays, hyperplanes and leaf lists. */
  memoryBytes(): number {
    let bytes =
      this.child0.byteLength +
      this.child1.byteLength +
      this.offsets.byteLength +
      this.normalStart.byteLength +
      this.normals.byteLength +
      this.leafLengths.byteLength;
    for (const items of this.leafItems) bytes += items.byteLength;
    return bytes;
  }
}

/** A copy of `array` with at least `length` elements (zero-filled). */
export function grow<T extends Int32Array | Float32Array>(array: T, length: number): T {
  const out = new (array.constructor as new (n: number) => T)(Math.max(length, array.length));
  out.set(array);
  return out;
}
