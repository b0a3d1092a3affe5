/**
 * Tree buffers: a hand-worked example of the reference's
 * `generate_medusa_buffers`, and `mc_sim_7b_63`'s buffers against their
 * definitions written out independently (ancestors, depths, candidate
 * offsets, root-to-leaf paths).
 */
import { describe, expect, it } from 'vitest';
import { TreeError } from '../errors.js';
import { DEFAULT_CPU_CHOICES, mc_sim_7b_63 } from './medusa-choices.js';
import { medusaTree } from './medusa-tree.js';

describe('medusaTree', () => {
  it('builds the reference buffers of a small tree (worked by hand)', () => {
    const tree = medusaTree([[0, 0], [1], [0]]);
    expect(tree.choices).toEqual([[0], [1], [0, 0]]);
    expect(tree.size).toBe(4);
    expect(tree.depth).toBe(2);
    expect([...tree.parents]).toEqual([-1, 0, 0, 1]);
    expect([...tree.positionIds]).toEqual([0, 1, 1, 2]);
    expect([...tree.treeIndices]).toEqual([0, 1, 2, 11]);
    // prettier-ignore
    expect([...tree.attentionMask]).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1]);
    expect(tree.retrieveShape).toEqual([2, 3]);
    expect([...tree.retrieveIndices]).toEqual([0, 1, 3, 0, 2, -1]);
  });

  it("mc_sim_7b_63's buffers match their definitions", () => {
    const tree = medusaTree(mc_sim_7b_63);
    expect(tree.size).toBe(64);
    expect(tree.depth).toBe(4);
    const paths: number[][] = [[], ...tree.choices.map((p) => [...p])];
    const isPrefix = (a: number[], b: number[]) =>
      a.length <= b.length && a.every((x, i) => b[i] === x);
    const N = tree.size;
    for (let i = 0; i < N; i++) {
      expect(tree.positionIds[i]).toBe(paths[i]!.length);
      const p = paths[i]!;
      expect(tree.treeIndices[i]).toBe(i === 0 ? 0 : p[p.length - 1]! + 10 * (p.length - 1) + 1);
      for (let j = 0; j < N; j++)
        expect(tree.attentionMask[i * N + j], `mask[${i}][${j}]`).toBe(
          isPrefix(paths[j]!, p) ? 1 : 0,
        );
    }
    // retrieve rows: one per leaf (a path no other path extends), each the nodes from the root
    const leaves = paths.filter(
      (p, i) => i > 0 && !paths.some((q) => q.length > p.length && isPrefix(p, q)),
    );
    const [rows, width] = tree.retrieveShape;
    expect(rows).toBe(leaves.length);
    expect(width).toBe(5);
    const got = Array.from({ length: rows }, (_, r) =>
      [...tree.retrieveIndices.subarray(r * width, (r + 1) * width)].filter((v) => v !== -1),
    );
    const want = leaves.map((leaf) =>
      [[], ...leaf.map((_, c) => leaf.slice(0, c + 1))].map((prefix) =>
        paths.findIndex((q) => q.join() === prefix.join()),
      ),
    );
    expect(new Set(got.map(String))).toEqual(new Set(want.map(String)));
    // the reference lists the leaves walking the sorted paths from the last: [0, 0, 0, 1] first
    expect(got[0]!.map((node) => paths[node]!.join(','))).toEqual([
      '',
      '0',
      '0,0',
      '0,0,0',
      '0,0,0,1',
    ]);
    expect(got[1]!.map((node) => paths[node]!.join(','))).toEqual([
      '',
      '0',
      '0,0',
      '0,0,0',
      '0,0,0,0',
    ]);
    expect(medusaTree(DEFAULT_CPU_CHOICES).depth).toBe(4);
  });

  it('names bad paths', () => {
    expect(() => medusaTree([[0, 1]])).toThrow('path [0,1] needs its parent [0] in the list');
    expect(() => medusaTree([[0], [0]])).toThrow('path [0] appears twice');
    expect(() => medusaTree([[10]])).toThrow('rank 10, outside [0, 10)');
    expect(() => medusaTree([[]])).toThrow(TreeError);
    expect(() => medusaTree([[0]], { topK: 0 })).toThrow('topK must be a positive integer');
    expect(medusaTree([]).size).toBe(1);
  });
});
