/**
 * The automatic tree choice against exhaustive search: with 2 candidates
 * per head and 3 heads, every connected subtree of the full tree (14
 * paths) is scored (1 + sum of path probabilities) / (time(1 + paths) +
 * heads), and the choice must reach the best score. Also: interpolation
 * of the measured cost, and that a flatter cost curve picks a bigger tree.
 */
import { Generator } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import type { HeadAccuracy } from '../heads/medusa-heads.js';
import { chooseTree, costAt, expectedTokensPerStep, type PassCost } from './auto-tree.js';

function randomAccuracy(generator: Generator, K: number, ranks: number): HeadAccuracy {
  const rank = Array.from({ length: K }, () => {
    const raw = Array.from({ length: ranks }, () => generator.uniform());
    const total = raw.reduce((a, b) => a + b, 0) / (0.3 + 0.7 * generator.uniform());
    return raw.map((v) => v / total).sort((a, b) => b - a);
  });
  return {
    top1: rank.map((r) => r[0]!),
    top5: rank.map((r) => r.reduce((a, b) => a + b, 0)),
    rank,
    positions: 1,
  };
}

const allPaths: number[][] = [];
for (let a = 0; a < 2; a++) {
  allPaths.push([a]);
  for (let b = 0; b < 2; b++) {
    allPaths.push([a, b]);
    for (let c = 0; c < 2; c++) allPaths.push([a, b, c]);
  }
}

describe('chooseTree', () => {
  it('reaches the best tokens per second of every connected subtree', () => {
    const generator = new Generator(3);
    for (let trial = 0; trial < 40; trial++) {
      const accuracy = randomAccuracy(generator, 3, 2);
      const slope = 0.02 + 0.5 * generator.uniform();
      const cost: PassCost = {
        rows: [1, 2, 4, 8, 16],
        ms: [1, 2, 4, 8, 16].map((T) => 10 + slope * (T - 1) ** 1.2),
        headsMs: generator.uniform(),
        context: 128,
      };
      const probability = allPaths.map((path) =>
        path.reduce((p, r, depth) => p * accuracy.rank[depth]![r]!, 1),
      );
      const parent = allPaths.map((path) =>
        allPaths.findIndex((q) => String(q) === String(path.slice(0, -1))),
      );
      let best = 0;
      for (let mask = 0; mask < 1 << allPaths.length; mask++) {
        let connected = true;
        let tokens = 1;
        let count = 0;
        for (let i = 0; i < allPaths.length; i++) {
          if (!(mask & (1 << i))) continue;
          if (parent[i]! >= 0 && !(mask & (1 << parent[i]!))) connected = false;
          tokens += probability[i]!;
          count++;
        }
        if (!connected) continue;
        const ms = costAt(cost, 1 + count) + (count > 0 ? cost.headsMs : 0);
        best = Math.max(best, tokens / ms);
      }
      const choice = chooseTree(accuracy, cost, { topK: 2 });
      expect(choice.expectedTokensPerSecond / 1000).toBeCloseTo(best, 12);
      expect(choice.expectedTokensPerStep).toBeCloseTo(
        expectedTokensPerStep(accuracy, choice.tree),
        12,
      );
    }
  });

  it('interpolates the measured cost and grows the tree when rows get cheaper', () => {
    const cost: PassCost = { rows: [1, 4, 8], ms: [2, 5, 13], headsMs: 0.5, context: 64 };
    expect(costAt(cost, 1)).toBe(2);
    expect(costAt(cost, 2)).toBe(3);
    expect(costAt(cost, 6)).toBe(9);
    expect(costAt(cost, 10)).toBe(17);
    const accuracy: HeadAccuracy = {
      top1: [0.7, 0.5, 0.4],
      top5: [0.95, 0.8, 0.7],
      rank: [
        [0.7, 0.15, 0.05],
        [0.5, 0.15, 0.1],
        [0.4, 0.15, 0.1],
      ],
      positions: 100,
    };
    const steep = chooseTree(accuracy, { rows: [1, 64], ms: [1, 64], headsMs: 0, context: 64 });
    const flat = chooseTree(accuracy, { rows: [1, 64], ms: [1, 1.2], headsMs: 0, context: 64 });
    expect(flat.tree.size).toBeGreaterThan(steep.tree.size);
    expect(flat.expectedSpeedup).toBeGreaterThan(steep.expectedSpeedup);
    // nothing pays when every row costs a full pass and the heads are rarely right
    const hopeless = chooseTree(
      { ...accuracy, rank: accuracy.rank.map((r) => r.map((v) => v / 10)) },
      { rows: [1, 2], ms: [1, 2], headsMs: 0.2, context: 64 },
    );
    expect(hopeless.tree.size).toBe(1);
    expect(hopeless.expectedSpeedup).toBe(1);
  });
});
