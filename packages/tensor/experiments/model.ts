/**
 * The model of the mixed-precision experiment: a deep character-level MLP
 * (Bengio et al. 2003, as in Karpathy's makemore part 3).
 *
 * Shapes: ids [B, context] -> embedding [B, context, embed] -> flatten
 * [B, context * embed] -> `depth` x (Linear -> tanh) [B, width] -> Linear
 * [B, vocab] logits. Hidden weights start as PyTorch's default Linear init,
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)), times `gain`.
 */
import { Embedding, Generator, Linear, Module, noGrad, type Tensor } from '../src/index.js';

/** Size and initialization of the model. */
export interface ModelOptions {
  vocab: number;
  /** Characters of context. */
  context: number;
  /** Embedding width per character. */
  embed: number;
  /** Hidden width. */
  width: number;
  /** Number of hidden Linear + tanh layers. */
  depth: number;
  /** Multiplier on the default init of the hidden and output weights. */
  gain: number;
  /** Seed of the initial weights (same seed, same model). */
  seed: number;
}

/** The forward pass's outputs: logits and every layer's output (the activations whose gradients we study). */
export interface ForwardResult {
  logits: Tensor;
  /** Each hidden Linear's output (pre-tanh), then the logits. */
  activations: Tensor[];
}

/** A deep tanh MLP over a window of characters. */
export class CharMLP extends Module {
  readonly embedding: Embedding;
  readonly hidden: Linear[];
  readonly output: Linear;

  constructor(readonly options: ModelOptions) {
    super();
    const generator = new Generator(options.seed);
    const { vocab, context, embed, width, depth, gain } = options;
    this.embedding = new Embedding(vocab, embed, { generator });
    this.hidden = Array.from(
      { length: depth },
      (_, i) => new Linear(i === 0 ? context * embed : width, width, { generator }),
    );
    this.output = new Linear(width, vocab, { generator });
    if (gain !== 1) {
      noGrad(() => {
        for (const layer of [...this.hidden, this.output]) layer.weight.mul_(gain);
      });
    }
  }

  forward(x: Tensor): ForwardResult {
    const [batch, context] = x.shape as [number, number];
    let h = this.embedding.forward(x).reshape([batch, context * this.options.embed]);
    const activations: Tensor[] = [];
    for (const layer of this.hidden) {
      const z = layer.forward(h);
      activations.push(z);
      h = z.tanh();
    }
    const logits = this.output.forward(h);
    activations.push(logits);
    return { logits, activations };
  }
}
