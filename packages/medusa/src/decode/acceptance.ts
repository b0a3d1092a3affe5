/**
 * Which path of a verified tree is kept.
 *
 * Greedy (temperature 0): from the root, follow the child whose token is
 * the base model's argmax at the current node, while there is one. With
 * distinct tokens among siblings the path is unique, and every kept token is
 * what plain greedy decoding would produce (the reference's
 * `evaluate_posterior` at temperature 0: the longest candidate prefix that
 * matches the argmax).
 *
 * Typical acceptance (Medusa §2.3.1; `evaluate_posterior` with temperature >
 * 0): a child token x of node n is plausible when
 *
 *   p(x | n) > min(epsilon, delta * exp(-H(p(. | n))))
 *
 * with p the base model's softmax at temperature T and H its entropy
 * (epsilon = `posterior_threshold` 0.09, delta = `posterior_alpha` 0.3 in
 * the reference). The longest path of plausible tokens is kept; ties go to
 * the highest sum of log-probabilities.
 *
 * Rows are the base model's logits at each node; a repetition penalty, when
 * set, is applied to each row with the tokens of the context and the path
 * up to that node, as plain decoding would see them.
 */
import { applyRepetitionPenalty, argmax } from '@x/lm';
import type { DraftTree } from './draft-tree.js';

/** Settings of the acceptance rule. */
export interface AcceptanceSettings {
  /** 0 for greedy acceptance, else the softmax temperature of typical acceptance. */
  readonly temperature: number;
  /** epsilon, the hard threshold (`posterior_threshold`). */
  readonly posteriorThreshold: number;
  /** delta, the entropy-scaled threshold (`posterior_alpha`). */
  readonly posteriorAlpha: number;
  /** CTRL's repetition penalty (1: off). */
  readonly repetitionPenalty: number;
}

/** The logits row of a node, penalized for the tokens seen on its way. */
function rowOf(
  rows: Float32Array,
  V: number,
  node: number,
  settings: AcceptanceSettings,
  seen: () => number[],
): Float32Array {
  const row = rows.subarray(node * V, (node + 1) * V);
  if (settings.repetitionPenalty === 1) return row;
  const copy = row.slice();
  applyRepetitionPenalty(copy, seen(), settings.repetitionPenalty);
  return copy;
}

function pathTokens(tree: DraftTree, node: number): number[] {
  const out: number[] = [];
  for (let n = node; n !== -1; n = tree.parents[n]!) out.push(tree.tokens[n]!);
  return out.reverse();
}

/**
 * The accepted path of a verified tree.
 * @param tree - the tree (node 0 is the root, already chosen)
 * @param rows - the base model's logits at every node, `tree.size` rows of V
 * @param V - vocabulary size
 * @param settings - greedy or typical, thresholds, repetition penalty
 * @param context - the tokens before the root (prompt and continuation), for the penalty
 * @returns the nodes kept, root first
 */
export function acceptPath(
  tree: DraftTree,
  rows: Float32Array,
  V: number,
  settings: AcceptanceSettings,
  context: readonly number[],
): number[] {
  const seenAt = (node: number) => () => [...context, ...pathTokens(tree, node)];
  if (settings.temperature === 0) {
    const path = [0];
    for (let node = 0; ; ) {
      if (tree.children[node]!.size === 0) break;
      const best = argmax(rowOf(rows, V, node, settings, seenAt(node)));
      const next = tree.children[node]!.get(best);
      if (next === undefined) break;
      path.push(next);
      node = next;
    }
    return path;
  }
  // Typical acceptance: plausible children of each node, then the longest (most likely) path.
  const plausible = new Map<number, { node: number; logProb: number }[]>();
  const inverse = 1 / settings.temperature;
  const visit = (node: number): void => {
    const kids = tree.children[node]!;
    if (kids.size === 0) return;
    const row = rowOf(rows, V, node, settings, seenAt(node));
    let max = -Infinity;
    for (let i = 0; i < V; i++) if (row[i]! > max) max = row[i]!;
    let sum = 0;
    for (let i = 0; i < V; i++) sum += Math.exp((row[i]! - max) * inverse);
    const logZ = Math.log(sum);
    let entropy = 0;
    for (let i = 0; i < V; i++) {
      const logP = (row[i]! - max) * inverse - logZ;
      // the reference's -sum p log(p + 1e-5)
      const p = Math.exp(logP);
      entropy -= p * Math.log(p + 1e-5);
    }
    const threshold = Math.min(
      settings.posteriorThreshold,
      settings.posteriorAlpha * Math.exp(-entropy),
    );
    const ok: { node: number; logProb: number }[] = [];
    for (const [token, child] of kids) {
      const logP = (row[token]! - max) * inverse - logZ;
      if (Math.exp(logP) > threshold) {
        ok.push({ node: child, logProb: logP });
        visit(child);
      }
    }
    plausible.set(node, ok);
  };
  visit(0);
  const best = (node: number): { path: number[]; logProb: number } => {
    let top = { path: [node], logProb: 0 };
    for (const { node: child, logProb } of plausible.get(node) ?? []) {
      const below = best(child);
      const candidate = { path: [node, ...below.path], logProb: logProb + below.logProb };
      if (
        candidate.path.length > top.path.length ||
        (candidate.path.length === top.path.length && candidate.logProb > top.logProb)
      )
        top = candidate;
    }
    return top;
  };
  return best(0).path;
}

/** What the exact (lossless) walk returns: the kept nodes and the token that follows them. */
export interface ExactWalk {
  /** The nodes kept, root first. */
  readonly path: number[];
  /** The next token, already drawn from the base model's distribution at the last kept node (minus the drafts it refused). */
  readonly next: number;
}

/**
 * Exact acceptance for sampling: speculative sampling (Leviathan et al.
 * 2023; Chen et al. 2023) with point-mass drafts, over the tree's children
 * in order (as SpecInfer verifies several drafts). At a node with
 * distribution p (the plain sampler's: repetition penalty, temperature,
 * top-k, top-p, min-p), a child token x is accepted with probability
 * p(x); when refused, x is removed from p (renormalized) and the next child
 * is tried; when every child is refused (or there is none) the next token
 * is drawn from what is left. Each emitted token is therefore distributed
 * exactly as plain sampling's: P(x1) = p(x1), P(x2) = (1 - p(x1)) p(x2) /
 * (1 - p(x1)) = p(x2), and so on.
 * @param tree - the verified tree
 * @param rows - the base model's logits at every node, `tree.size` rows of V
 * @param V - vocabulary size
 * @param distribution - a node's sampling distribution from its penalized logits row
 * @param settings - repetition penalty
 * @param context - the tokens before the root
 * @param uniform - draws in [0, 1)
 * @returns the kept nodes and the next token
 */
export function exactWalk(
  tree: DraftTree,
  rows: Float32Array,
  V: number,
  distribution: (row: Float32Array) => { ids: Int32Array; probs: Float64Array },
  settings: Pick<AcceptanceSettings, 'repetitionPenalty'>,
  context: readonly number[],
  uniform: () => number,
): ExactWalk {
  const path = [0];
  for (let node = 0; ; ) {
    const row = rows.slice(node * V, (node + 1) * V);
    if (settings.repetitionPenalty !== 1)
      applyRepetitionPenalty(
        row,
        [...context, ...pathTokens(tree, node)],
        settings.repetitionPenalty,
      );
    const { ids, probs } = distribution(row);
    const p = new Map<number, number>();
    ids.forEach((id, i) => p.set(id, probs[i]!));
    let mass = 1;
    let accepted = -1;
    for (const [token, child] of tree.children[node]!) {
      const q = (p.get(token) ?? 0) / mass;
      if (q > 0 && uniform() < q) {
        accepted = child;
        break;
      }
      mass -= p.get(token) ?? 0;
      p.delete(token);
    }
    if (accepted === -1) {
      // draw from what is left
      let u = uniform() * mass;
      let last = -1;
      for (const [id, q] of p) {
        if (q <= 0) continue;
        last = id;
        u -= q;
        if (u < 0) return { path, next: id };
      }
      return { path, next: last === -1 ? ids[0]! : last };
    }
    path.push(accepted);
    node = accepted;
  }
}
