/**
 * The cost side on a GPT-2-small-shaped model (12 layers, 768 wide, 12
 * heads, vocabulary 50,257: 124M parameters, seeded random weights, so its
 * own acceptance means nothing): time(T) / time(1) of a verification step
 * over T rows on this machine, and the speedup the bundled model's measured
 * head accuracies would give with that cost curve (the tree chosen for it,
 * heads sharing its LM head as a CPU deployment would).
 */
import { createModel, type LanguageModel, parseModelConfig } from '@x/lm';
import {
  chooseTree,
  costAt,
  expectedTokensPerStep,
  type HeadAccuracy,
  MedusaHeads,
  type MedusaTree,
  measurePassCost,
  type PassCost,
} from '../src/index.js';

/** What the section reports. */
export interface LargeModelFigures {
  readonly shape: string;
  readonly parameters: number;
  readonly cost: PassCost;
  /** time(T) / time(1) per measured T. */
  readonly ratios: Record<string, number>;
  /** The tree chosen for this cost curve from the bundled model's accuracies. */
  readonly chosen: {
    paths: number;
    rows: number;
    ratio: number;
    tokensPerStep: number;
    speedup: number;
  };
  /** The bundled model's own tree on this cost curve. */
  readonly bundledTree: {
    paths: number;
    rows: number;
    ratio: number;
    tokensPerStep: number;
    speedup: number;
  };
}

/**
 * Measures the cost curve and predicts the speedup.
 * @param accuracy - the bundled model's head accuracies
 * @param bundledTree - the tree chosen for the bundled model
 * @param quick - a small stand-in (seconds) instead of the 124M model
 */
export function largeModelFigures(
  accuracy: HeadAccuracy,
  bundledTree: MedusaTree,
  quick: boolean,
): LargeModelFigures {
  const shape = quick
    ? { vocab_size: 1000, n_positions: 256, n_embd: 128, n_layer: 2, n_head: 4 }
    : { vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12 };
  const model: LanguageModel = createModel(parseModelConfig({ model_type: 'gpt2', ...shape }), {
    seed: 124,
  }).eval();
  const K = accuracy.top1.length;
  const heads = new MedusaHeads(model, { heads: K, shareLmHead: true });
  const rows = quick ? [1, 2, 4, 8] : [1, 2, 4, 8, 16, 32];
  const cost = measurePassCost(model, { heads, rows, context: 128, repeats: quick ? 2 : 3 });
  const ratios = Object.fromEntries(
    cost.rows.map((T, i) => [String(T), cost.ms[i]! / cost.ms[0]!]),
  );
  const choice = chooseTree(accuracy, cost, { maxDepth: K });
  const summarize = (tree: MedusaTree) => {
    const tokensPerStep = expectedTokensPerStep(accuracy, tree);
    const ms = costAt(cost, tree.size) + (tree.size > 1 ? cost.headsMs : 0);
    return {
      paths: tree.size - 1,
      rows: tree.size,
      ratio: costAt(cost, tree.size) / cost.ms[0]!,
      tokensPerStep,
      speedup: (tokensPerStep * cost.ms[0]!) / ms,
    };
  };
  return {
    shape: `${shape.n_layer} layers x ${shape.n_embd}, vocabulary ${shape.vocab_size}${quick ? ' (quick stand-in)' : ''}`,
    parameters: model.parameterCount(),
    cost,
    ratios,
    chosen: summarize(choice.tree),
    bundledTree: summarize(bundledTree),
  };
}
