/**
 * Decoding support: a KV cache (append, trim, gather), one-query decoding
 * with the cache equal to the rows of full causal attention, and tree
 * attention equal to running each branch of the draft tree on its own.
 */
import { concat, Generator, randn, type Tensor, tensor } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import { AttentionShapeError, AttentionValueError } from './errors.js';
import { KVCache } from './kv-cache.js';
import { rope } from './rope.js';
import { maxAbsDiff } from './test/reference.js';
import { treeMask, treePath, treePositions } from './tree-mask.js';

const rows = (t: Tensor, from: number, count: number) => t.narrow(2, from, count).toTypedArray();

describe('KVCache', () => {
  it('append grows past its capacity and returns views of everything cached', () => {
    const generator = new Generator(1);
    const cache = new KVCache({ capacity: 2 });
    const parts = [3, 1, 4].map((T) => ({
      k: randn([1, 2, T, 4], { generator }),
      v: randn([1, 2, T, 3], { generator }),
    }));
    let keys: Tensor | null = null;
    for (const { k, v } of parts) keys = cache.append(k, v).keys;
    expect(cache.length).toBe(8);
    expect(cache.capacity).toBe(8);
    expect(keys!.shape).toEqual([1, 2, 8, 4]);
    expect(rows(keys!, 3, 1)).toEqual(parts[1]!.k.toTypedArray());
    expect(rows(cache.values!, 4, 4)).toEqual(parts[2]!.v.toTypedArray());
  });
  it('trim keeps a prefix, gather keeps chosen positions in order', () => {
    const k = randn([1, 1, 6, 2], { generator: new Generator(2) });
    const cache = new KVCache();
    cache.append(k, k);
    cache.gather([0, 1, 4, 5]);
    expect(cache.keys!.toTypedArray()).toEqual(
      Float32Array.from([...rows(k, 0, 2), ...rows(k, 4, 2)]),
    );
    cache.trim(3);
    expect(cache.length).toBe(3);
    expect(() => cache.trim(4)).toThrow('KVCache.trim: length must be an integer in [0, 3], got 4');
    expect(() => cache.gather([3])).toThrow(AttentionValueError);
    expect(() => cache.append(randn([1, 2, 1, 2]), randn([1, 2, 1, 2]))).toThrow(
      AttentionShapeError,
    );
  });

  it('gather keeps a prefix in place and moves only the rest (overlapping rows included)', () => {
    const k = randn([2, 3, 9, 4], { generator: new Generator(4) });
    const v = randn([2, 3, 9, 5], { generator: new Generator(5) });
    for (const indices of [
      [0, 1, 2, 3, 4, 5, 6, 7, 8],
      [0, 1, 2, 3, 5, 8],
      [0, 1, 2, 4, 3],
      [0, 2, 1],
      [8, 0, 7],
      [0, 1, 2],
      [],
    ]) {
      const cache = new KVCache({ capacity: 4 });
      cache.append(k, v);
      cache.gather(indices);
      expect(cache.length).toBe(indices.length);
      if (indices.length === 0) continue;
      const expectRows = (all: Tensor, got: Tensor) =>
        expect(got.toTypedArray()).toEqual(
          concat(
            indices.map((i) => all.narrow(2, i, 1)),
            2,
          ).toTypedArray(),
        );
      expectRows(k, cache.keys!);
      expectRows(v, cache.values!);
      // appending after a gather writes behind the kept rows
      const extra = randn([2, 3, 1, 4], { generator: new Generator(6) });
      cache.append(extra, randn([2, 3, 1, 5]));
      expect(rows(cache.keys!, indices.length, 1)).toEqual(extra.toTypedArray());
    }
  });

  it('clone copies the positions into buffers of its own', () => {
    const k = randn([1, 1, 4, 2], { generator: new Generator(3) });
    const cache = new KVCache({ capacity: 8 });
    expect(cache.clone().length).toBe(0);
    cache.append(k, k);
    const fork = cache.clone();
    expect(fork.length).toBe(4);
    expect(fork.capacity).toBe(8);
    expect(fork.keys!.toTypedArray()).toEqual(k.toTypedArray());
    fork.append(randn([1, 1, 1, 2]), randn([1, 1, 1, 2]));
    fork.gather([4, 0]);
    expect(cache.length).toBe(4);
    expect(cache.keys!.toTypedArray()).toEqual(k.toTypedArray());
  });

  for (const implementation of ['naive', 'flash'] as const) {
    it(`decoding one query at a time with the cache equals full causal attention (${implementation})`, () => {
      const generator = new Generator(3);
      const N = 23;
      const q = randn([2, 4, N, 8], { dtype: 'float64', generator });
      const k = randn([2, 2, N, 8], { dtype: 'float64', generator });
      const v = randn([2, 2, N, 8], { dtype: 'float64', generator });
      const full = attention(q, k, v, { causal: true, implementation: 'naive' });
      const cache = new KVCache({ capacity: 4 });
      const prefill = 9; // a prompt first, then single tokens
      const first = cache.append(k.narrow(2, 0, prefill), v.narrow(2, 0, prefill));
      const prompt = attention(q.narrow(2, 0, prefill), first.keys, first.values, {
        causal: true,
        implementation,
        blockSize: 4,
      });
      expect(maxAbsDiff(prompt.toTypedArray(), rows(full, 0, prefill))).toBeLessThanOrEqual(1e-12);
      for (let t = prefill; t < N; t++) {
        const { keys, values } = cache.append(k.narrow(2, t, 1), v.narrow(2, t, 1));
        const step = attention(q.narrow(2, t, 1), keys, values, {
          causal: true,
          implementation,
          blockSize: 4,
        });
        expect(maxAbsDiff(step.toTypedArray(), rows(full, t, 1))).toBeLessThanOrEqual(1e-12);
      }
    });
  }
});

describe('tree attention', () => {
  // a draft tree after a prefix of 6 tokens:
  //   0 -> 2 -> 4
  //   0 -> 3
  //   1 -> 5 -> 6
  const parents = [-1, -1, 0, 0, 2, 1, 5];
  const prefix = 6;
  it('treeMask, treePositions and treePath', () => {
    expect(Array.from(treePositions(parents, prefix))).toEqual([6, 6, 7, 7, 8, 7, 8]);
    expect(treePath(parents, 4)).toEqual([0, 2, 4]);
    const mask = treeMask(parents, prefix).toArray() as boolean[][];
    expect(mask[4]!.map(Number)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0]);
    expect(() => treeMask([0], 0)).toThrow(
      'treeMask: parents[0] = 0: each parent must be -1 or an earlier node index',
    );
  });
  for (const implementation of ['naive', 'flash'] as const) {
    it(`equals running each branch separately, with RoPE at tree positions (${implementation})`, () => {
      const generator = new Generator(4);
      const T = parents.length;
      const d = 8;
      // raw (un-rotated) q / k and v for the prefix and for every tree node
      const prefixK = randn([1, 2, prefix, d], { dtype: 'float64', generator });
      const prefixV = randn([1, 2, prefix, d], { dtype: 'float64', generator });
      const nodeQ = randn([1, 4, T, d], { dtype: 'float64', generator });
      const nodeK = randn([1, 2, T, d], { dtype: 'float64', generator });
      const nodeV = randn([1, 2, T, d], { dtype: 'float64', generator });
      const positions = treePositions(parents, prefix);
      const prefixPositions = Int32Array.from({ length: prefix }, (_, i) => i);
      const cache = new KVCache();
      cache.append(rope(prefixK, prefixPositions), prefixV);
      const { keys, values } = cache.append(rope(nodeK, positions), nodeV);
      const tree = attention(rope(nodeQ, positions), keys, values, {
        mask: treeMask(parents, prefix),
        implementation,
        blockSize: 4,
      });
      for (const leaf of [4, 3, 6]) {
        const path = treePath(parents, leaf);
        const pick = (t: Tensor) => t.indexSelect(2, tensorOf(path));
        const pathPositions = Int32Array.from(path, (_, i) => prefix + i);
        const branchKeys = rope(prefixK, prefixPositions).reshape(1, 2, prefix, d);
        const k = concat2(branchKeys, rope(pick(nodeK), pathPositions));
        const v = concat2(prefixV, pick(nodeV));
        const branch = attention(rope(pick(nodeQ), pathPositions), k, v, {
          causal: true,
          implementation: 'naive',
        });
        path.forEach((node, i) => {
          expect(maxAbsDiff(rows(tree, node, 1), rows(branch, i, 1))).toBeLessThanOrEqual(1e-12);
        });
      }
      // accept the branch ending at node 4: compact the cache to prefix + path
      cache.gather([...prefixPositions, ...treePath(parents, 4).map((n) => prefix + n)]);
      expect(cache.length).toBe(prefix + 3);
    });
  }
});

function tensorOf(indices: number[]): Tensor {
  return tensor(Int32Array.from(indices), { dtype: 'int32' });
}

function concat2(a: Tensor, b: Tensor): Tensor {
  return concat([a, b], 2);
}
