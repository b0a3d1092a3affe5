/**
 * `MambaLM`: a stack of pre-norm residual blocks around a sequence mixer,
 * with the module tree of the reference `MambaLMHeadModel`
 * (state-spaces/mamba `mamba_ssm/models/mixer_seq_simple.py`), so checkpoint
 * keys match: `backbone.embedding.weight`, `backbone.layers.{i}.norm.weight`,
 * `backbone.layers.{i}.mixer.*`, `backbone.norm_f.weight`. The output head is
 * tied to the embedding by default (the reference `tie_embeddings`), so a
 * checkpoint's `lm_head.weight` is the same tensor and is not loaded twice
 * (pass `{ strict: false }` to `loadStateDict`); untied, it is `lm_head.weight`.
 *
 *   h = embedding(ids);  for each block: h = h + mixer(norm(h));  logits = norm_f(h) E^T
 *
 * The mixer is Mamba (selective) or, for the ablation of the Mamba paper's
 * Table 1, `S4DMixer` (the same block with a time-invariant S4D layer).
 * Initialization as the reference `_init_weights`: embedding N(0, 0.02^2),
 * out_proj weights scaled by 1 / sqrt(n_layer).
 */
import { Embedding, Generator, Linear, Module, noGrad, RMSNorm, type Tensor } from '@x/tensor';
import { linear } from '../kernels/linear.js';
import { S4DMixer, type S4DMixerOptions, type S4DMixerState } from '../s4d/s4d-mixer.js';
import { checkFinite, checkInteger, checkOneOf, checkShape } from '../validate.js';
import type { MambaOptions } from './config.js';
import { Mamba, type MambaState } from './mamba.js';

/** Options of `MambaLM`. */
export interface MambaLMOptions {
  /** Vocabulary size. */
  vocabSize: number;
  /** Model width. */
  dModel: number;
  /** Number of blocks. */
  nLayers: number;
  /** Sequence mixer: selective (Mamba) or time-invariant (S4D). @default 'mamba' */
  mixer?: 'mamba' | 's4d';
  /** Options of each Mamba mixer. */
  mamba?: MambaOptions;
  /** Options of each S4D mixer. */
  s4d?: S4DMixerOptions;
  /** Share the output head with the embedding (the reference `tie_embeddings`). @default true */
  tieEmbeddings?: boolean;
  /** Standard deviation of the embedding initialization (the reference `initializer_range`). @default 0.02 */
  initializerRange?: number;
  /** RMSNorm epsilon. @default 1e-5 */
  normEps?: number;
  /** Seed. @default 0 */
  seed?: number;
}

/** One residual block: `norm` then `mixer`, named as the reference `Block`. */
export class Block extends Module {
  /**
   * @param mixer - the sequence mixer
   * @param norm - the pre-norm
   */
  constructor(
    readonly mixer: Mamba | S4DMixer,
    readonly norm: RMSNorm,
  ) {
    super();
  }

  /** h + mixer(norm(h)), `[b, l, d_model]`. */
  forward(h: Tensor): Tensor {
    return h.add(this.mixer.forward(this.norm.forward(h)));
  }
}

/** The embedding, blocks and final norm (`backbone` in the reference). */
export class MixerModel extends Module {
  /**
   * @param embedding - token embedding
   * @param layers - the blocks
   * @param norm_f - final norm
   */
  constructor(
    readonly embedding: Embedding,
    readonly layers: Block[],
    readonly norm_f: RMSNorm,
  ) {
    super();
  }

  /** Hidden states after the final norm, `[b, l, d_model]`. */
  forward(ids: Tensor): Tensor {
    let h = this.embedding.forward(ids);
    for (const layer of this.layers) h = layer.forward(h);
    return this.norm_f.forward(h);
  }
}

/** Decoding state of every block. */
export type MambaLMState = (MambaState | S4DMixerState)[];

/**
 * A language model over token ids.
 * @example
 * const model = new MambaLM({ vocabSize: 16, dModel: 32, nLayers: 2 });
 * model.forward(tensor([[1, 2, 3]], { dtype: 'int32' })).shape // [1, 3, 16]
 */
export class MambaLM extends Module {
  readonly backbone: MixerModel;
  /** The output head when embeddings are not tied, `[vocab, d_model]` (`lm_head.weight`). */
  readonly lm_head: Linear | null;
  readonly options: Required<Omit<MambaLMOptions, 'mamba' | 's4d'>>;

  /** @throws SsmValueError for invalid sizes or an unknown mixer */
  constructor(options: MambaLMOptions) {
    super();
    const vocabSize = checkInteger('MambaLM', 'vocabSize', options.vocabSize);
    const dModel = checkInteger('MambaLM', 'dModel', options.dModel);
    const nLayers = checkInteger('MambaLM', 'nLayers', options.nLayers);
    const mixer = checkOneOf('MambaLM', 'mixer', options.mixer ?? 'mamba', ['mamba', 's4d']);
    const seed = options.seed ?? 0;
    const normEps = options.normEps ?? 1e-5;
    const tieEmbeddings = options.tieEmbeddings ?? true;
    const initializerRange = checkFinite(
      'MambaLM',
      'initializerRange',
      options.initializerRange ?? 0.02,
      true,
    );
    this.options = {
      vocabSize,
      dModel,
      nLayers,
      mixer,
      normEps,
      seed,
      tieEmbeddings,
      initializerRange,
    };
    const g = new Generator(seed);
    const embedding = new Embedding(vocabSize, dModel, { generator: g });
    noGrad(() => embedding.weight.mul_(initializerRange));
    this.lm_head = tieEmbeddings
      ? null
      : new Linear(dModel, vocabSize, { bias: false, generator: g });
    const layers = Array.from({ length: nLayers }, (_, i) => {
      const block =
        mixer === 'mamba'
          ? new Mamba(dModel, { ...options.mamba, seed: seed + 100 * (i + 1) })
          : new S4DMixer(dModel, { ...options.s4d, seed: seed + 100 * (i + 1) });
      noGrad(() => block.out_proj.weight.mul_(1 / Math.sqrt(nLayers)));
      return new Block(block, new RMSNorm(dModel, { eps: normEps }));
    });
    this.backbone = new MixerModel(embedding, layers, new RMSNorm(dModel, { eps: normEps }));
  }

  /** The output projection `[vocab, d_model]`: lm_head's, or the embedding when tied (internal). */
  private headWeight(): Tensor {
    return this.lm_head ? this.lm_head.weight : this.backbone.embedding.weight;
  }

  /**
   * Logits for every position.
   * @param ids - int32 `[b, l]`
   * @returns `[b, l, vocab]`
   * @throws SsmShapeError when ids is not 2-D
   */
  forward(ids: Tensor): Tensor {
    checkShape('MambaLM.forward', 'ids', ids, [-1, -1]);
    return linear(this.backbone.forward(ids), this.headWeight());
  }

  /**
   * Zero decoding states for every block.
   * @param batch - b
   * @returns the states
   */
  initialState(batch: number): MambaLMState {
    return this.backbone.layers.map((layer) => layer.mixer.initialState(batch));
  }

  /**
   * One decoding step: logits for the next token after `ids`.
   * @param ids - int32 `[b]`, the current token of each sequence
   * @param state - from `initialState` or the previous step
   * @returns logits `[b, vocab]` and the next state
   */
  step(ids: Tensor, state: MambaLMState): { logits: Tensor; state: MambaLMState } {
    let h = this.backbone.embedding.forward(ids); // [b, d_model]
    const next: MambaLMState = [];
    this.backbone.layers.forEach((layer, i) => {
      const r = (layer.mixer as Mamba).step(layer.norm.forward(h), state[i] as MambaState);
      next.push(r.state);
      h = h.add(r.y);
    });
    const logits = linear(this.backbone.norm_f.forward(h), this.headWeight());
    return { logits, state: next };
  }
}
