/**
 * Acceptance against the reference's formulation (`evaluate_posterior`):
 * the tree is expanded into its root-to-leaf candidate sequences (the
 * `retrieve_indices` view), each candidate's accepted length is the run of
 * leading tokens that pass the test (argmax match, or p > min(epsilon,
 * delta exp(-H))), and the best candidate is the longest (ties: the most
 * likely), computed here in float64 over random trees and logits.
 */
import { applyRepetitionPenalty, filteredDistribution } from '@x/lm';
import { Generator } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { type AcceptanceSettings, acceptPath, exactWalk } from './acceptance.js';
import { DraftTree, NODE_SOURCE } from './draft-tree.js';

function randomTree(
  generator: Generator,
  V: number,
  nodes: number,
  peaked: Float32Array,
): DraftTree {
  const tree = new DraftTree(generator.integer(0, V));
  for (let i = 1; i < nodes; i++) {
    const parent = generator.integer(0, tree.size);
    // favour the parent's likely tokens so that paths do get accepted
    const row = peaked.subarray(parent * V, (parent + 1) * V);
    const token = generator.uniform() < 0.6 ? argmaxOf(row) : generator.integer(0, V);
    tree.child(parent, token, NODE_SOURCE.heads);
  }
  return tree;
}

function argmaxOf(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** Every root-to-leaf node sequence. */
function candidates(tree: DraftTree): number[][] {
  const out: number[][] = [];
  const walk = (node: number, path: number[]) => {
    const next = [...path, node];
    if (tree.children[node]!.size === 0) out.push(next);
    for (const child of tree.children[node]!.values()) walk(child, next);
  };
  walk(0, []);
  return out;
}

function reference(
  tree: DraftTree,
  rows: Float32Array,
  V: number,
  s: AcceptanceSettings,
  context: number[],
): number[] {
  let best: number[] = [0];
  let bestLikelihood = -Infinity;
  for (const candidate of candidates(tree)) {
    let accepted = 0;
    let likelihood = 0;
    for (let i = 1; i < candidate.length; i++) {
      const node = candidate[i - 1]!;
      const row = Float64Array.from(rows.subarray(node * V, (node + 1) * V));
      const seen = [...context, ...candidate.slice(0, i).map((n) => tree.tokens[n]!)];
      applyRepetitionPenalty(row, seen, s.repetitionPenalty);
      const token = tree.tokens[candidate[i]!]!;
      let ok: boolean;
      let logP = 0;
      if (s.temperature === 0) ok = argmaxOf(row) === token;
      else {
        const scaled = Array.from(row, (v) => v / s.temperature);
        const max = Math.max(...scaled);
        const z = scaled.reduce((a, v) => a + Math.exp(v - max), 0);
        const p = scaled.map((v) => Math.exp(v - max) / z);
        const entropy = -p.reduce((a, q) => a + q * Math.log(q + 1e-5), 0);
        ok = p[token]! > Math.min(s.posteriorThreshold, s.posteriorAlpha * Math.exp(-entropy));
        logP = Math.log(p[token]!);
      }
      if (!ok) break;
      accepted++;
      likelihood += logP;
    }
    if (
      accepted + 1 > best.length ||
      (accepted + 1 === best.length && likelihood > bestLikelihood)
    ) {
      best = candidate.slice(0, accepted + 1);
      bestLikelihood = likelihood;
    }
  }
  return best;
}

describe('acceptPath', () => {
  const V = 12;
  const cases = [
    { temperature: 0, posteriorThreshold: 0.09, posteriorAlpha: 0.3, repetitionPenalty: 1 },
    { temperature: 0, posteriorThreshold: 0.09, posteriorAlpha: 0.3, repetitionPenalty: 1.3 },
    { temperature: 0.7, posteriorThreshold: 0.09, posteriorAlpha: 0.3, repetitionPenalty: 1 },
    { temperature: 1, posteriorThreshold: 0.2, posteriorAlpha: 0.5, repetitionPenalty: 1.2 },
  ];
  it.each(cases)('equals the candidate-by-candidate reference (%o)', (settings) => {
    const generator = new Generator(11);
    let longest = 0;
    for (let trial = 0; trial < 300; trial++) {
      const nodes = 1 + generator.integer(0, 14);
      const rows = new Float32Array(nodes * V);
      for (let i = 0; i < rows.length; i++) rows[i] = 3 * generator.normal();
      const tree = randomTree(generator, V, nodes, rows);
      const context = [generator.integer(0, V), generator.integer(0, V)];
      const want = reference(tree, rows.subarray(0, tree.size * V), V, settings, context);
      const got = acceptPath(tree, rows.subarray(0, tree.size * V), V, settings, context);
      // equal accepted tokens (the node indices may differ only if two candidates tie exactly)
      expect(got.map((n) => tree.tokens[n])).toEqual(want.map((n) => tree.tokens[n]));
      longest = Math.max(longest, got.length);
    }
    expect(longest).toBeGreaterThan(2);
  });
});

describe('exactWalk', () => {
  it("emits every token with the plain sampler's distribution (chi-square-free: frequencies within 1%)", () => {
    const V = 6;
    const generator = new Generator(21);
    const rows = new Float32Array(4 * V);
    for (let i = 0; i < rows.length; i++) rows[i] = 1.5 * generator.normal();
    // root, two drafts below it (tokens 2 and 4), and one below the first (token 1)
    const tree = new DraftTree(0);
    const a = tree.child(0, 2, NODE_SOURCE.heads);
    tree.child(0, 4, NODE_SOURCE.ngram);
    tree.child(a, 1, NODE_SOURCE.heads);
    for (const sampling of [
      { temperature: 1, topK: 0, topP: 1, minP: 0 },
      { temperature: 0.7, topK: 4, topP: 0.9, minP: 0 },
    ]) {
      const distribution = (row: Float32Array) => filteredDistribution(row, sampling);
      const probs = (node: number) => {
        const { ids, probs: p } = distribution(rows.slice(node * V, (node + 1) * V));
        const out = new Float64Array(V);
        ids.forEach((id, i) => (out[id] = p[i]!));
        return out;
      };
      const first = new Float64Array(V);
      const second = new Float64Array(V);
      let afterA = 0;
      const N = 40_000;
      for (let i = 0; i < N; i++) {
        const walk = exactWalk(tree, rows, V, distribution, { repetitionPenalty: 1 }, [], () =>
          generator.uniform(),
        );
        const emitted = [...walk.path.slice(1).map((n) => tree.tokens[n]!), walk.next];
        first[emitted[0]!]!++;
        if (emitted[0] === 2) {
          afterA++;
          second[emitted[1]!]!++;
        }
      }
      const p0 = probs(0);
      const pA = probs(a);
      for (let x = 0; x < V; x++) {
        expect(Math.abs(first[x]! / N - p0[x]!), `first token ${x}`).toBeLessThan(0.01);
        expect(Math.abs(second[x]! / afterA - pA[x]!), `second token ${x}`).toBeLessThan(0.02);
      }
    }
  });
});
