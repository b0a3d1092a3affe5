/**
 * Mamba language models (Gu & Dao 2023) with the module tree of Hugging
 * Face's `MambaForCausalLM`, built from @x/ssm's `Mamba` block (whose own
 * parameter names are the reference `mamba_simple.py`'s):
 *
 *   backbone.embeddings.weight [V, D]    (the state-spaces repository spells it `embedding`)
 *   backbone.layers.{i}.norm.weight [D]
 *   backbone.layers.{i}.mixer.{in_proj, conv1d, x_proj, dt_proj, out_proj}.*, mixer.A_log, mixer.D
 *   backbone.norm_f.weight [D]           lm_head.weight (tied by default)
 *
 * Per layer: h = h + mixer(rmsnorm(h)). A call on an empty cache runs the
 * whole prompt through the scan and keeps the final state; a call on a
 * non-empty cache steps token by token (constant cost per token) and keeps
 * a snapshot after each, so the cache can return to any of them. Left
 * padding (batched prompts) is handled exactly by running each row's real
 * tokens on their own: a recurrent state must never see a pad token.
 */
import { Mamba } from '@x/ssm';
import {
  concat,
  Embedding,
  Linear,
  Module,
  noGrad,
  RMSNorm,
  stack,
  type Tensor,
  zeros,
} from '@x/tensor';
import { InputError } from '../errors.js';
import type { MambaModelConfig } from './config.js';
import type { ForwardOptions } from './forward-context.js';
import { type CacheOptions, LanguageModel, type ModelInitOptions } from './language-model.js';
import { type LayerState, MambaCache } from './mamba-cache.js';

/** One residual block: norm then mixer. */
export class MambaBlock extends Module {
  readonly norm: RMSNorm;
  readonly mixer: Mamba;
  constructor(config: MambaModelConfig, layer: number, options: ModelInitOptions) {
    super();
    this.norm = new RMSNorm(config.hiddenSize, {
      eps: config.normEps,
      dtype: options.dtype,
    });
    this.mixer = new Mamba(config.hiddenSize, {
      dState: config.stateSize,
      dConv: config.convKernel,
      expand: config.expand,
      dtRank: config.timeStepRank,
      bias: config.useBias,
      convBias: config.useConvBias,
      seed: (options.seed ?? 0) + 100 * (layer + 1),
      dtype: options.dtype === 'float64' ? 'float64' : 'float32',
    });
    noGrad(() => this.mixer.out_proj.weight.mul_(1 / Math.sqrt(config.layers)));
  }
  /** `[B, T, D]` whole sequence; not used directly. */
  forward(h: Tensor): Tensor {
    return h.add(this.mixer.forward(this.norm.forward(h)));
  }
}

/** Embedding, blocks and final norm (`backbone`). */
export class MambaBackbone extends Module {
  readonly embeddings: Embedding;
  readonly layers: MambaBlock[];
  readonly norm_f: RMSNorm;
  constructor(config: MambaModelConfig, options: ModelInitOptions) {
    super();
    const dtype = options.dtype === 'float64' ? 'float64' : 'float32';
    this.embeddings = new Embedding(config.vocabSize, config.hiddenSize, { dtype });
    noGrad(() => this.embeddings.weight.mul_(0.02));
    this.layers = Array.from(
      { length: config.layers },
      (_, i) => new MambaBlock(config, i, { ...options, dtype }),
    );
    this.norm_f = new RMSNorm(config.hiddenSize, { eps: config.normEps, dtype });
  }
  /** Not used directly: `MambaForCausalLM.forward` drives the blocks. */
  forward(): never {
    throw new InputError('MambaBackbone.forward', 'call MambaForCausalLM.forward', 'ids');
  }
}

/**
 * A Mamba causal language model.
 * @example
 * const config = parseModelConfig({ model_type: 'mamba', vocab_size: 64, hidden_size: 32, num_hidden_layers: 2 });
 * new MambaForCausalLM(config as MambaModelConfig).forward([[1, 2]]).logits.shape // [1, 2, 64]
 */
export class MambaForCausalLM extends LanguageModel {
  declare readonly config: MambaModelConfig;
  readonly backbone: MambaBackbone;
  readonly lm_head: Linear | null;

  /**
   * @param config - a mamba config
   * @param options - dtype (float32 or float64; 16-bit weights load as float32) and seed
   */
  constructor(config: MambaModelConfig, options: ModelInitOptions = {}) {
    super(config);
    this.backbone = new MambaBackbone(config, options);
    this.lm_head = config.tieEmbeddings
      ? null
      : new Linear(config.hiddenSize, config.vocabSize, {
          bias: false,
          dtype: this.backbone.embeddings.weight.dtype,
        });
  }

  /** @inheritdoc */
  headWeight(): Tensor {
    return this.lm_head ? this.lm_head.weight : this.backbone.embeddings.weight;
  }

  /** @inheritdoc */
  embeddingWeight(): Tensor {
    return this.backbone.embeddings.weight;
  }

  /** @inheritdoc */
  createCache(options: CacheOptions = {}): MambaCache {
    return new MambaCache(options.batch ?? 1);
  }

  protected hiddenStates(ids: Tensor, options: ForwardOptions): Tensor {
    const op = 'MambaForCausalLM.forward';
    const [B, T] = ids.shape as [number, number];
    if (options.mask !== undefined || options.positions !== undefined)
      throw new InputError(
        op,
        'a recurrent model takes no custom mask or positions (verify one draft path at a time)',
        options.mask !== undefined ? 'mask' : 'positions',
      );
    const cache = options.cache ?? null;
    if (cache !== null && !(cache instanceof MambaCache))
      throw new InputError(op, "cache must come from this model's createCache()", 'cache');
    if (cache && cache.batch !== B)
      throw new InputError(op, `cache holds ${cache.batch} sequences, ids have ${B}`, 'cache');
    const real =
      options.attentionMask === undefined ? null : realRows(op, options.attentionMask, B, T);
    if (real && real.some((n) => n < T)) return this.paddedRows(ids, real, cache);
    return this.run(ids, cache);
  }

  /** Rows with left padding, each run on its real tokens alone, then stacked. */
  private paddedRows(ids: Tensor, real: number[], cache: MambaCache | null): Tensor {
    const [B, T] = ids.shape as [number, number];
    if (cache && cache.length > 0)
      throw new InputError(
        'MambaForCausalLM.forward',
        'padding is only allowed in the first call (the prompt)',
        'attentionMask',
      );
    const D = this.config.hiddenSize;
    const rows: Tensor[] = [];
    const states: LayerState[][] = [];
    for (let b = 0; b < B; b++) {
      const n = real[b]!;
      const rowCache = cache ? new MambaCache(1) : null;
      const pad = zeros([1, T - n, D], { dtype: this.computeDType, backend: ids.backend });
      const hidden = n > 0 ? this.run(ids.narrow(0, b, 1).narrow(1, T - n, n), rowCache) : null;
      rows.push(hidden ? concat([pad, hidden], 1) : pad);
      if (rowCache) states.push(rowCache.states ?? this.zeroStates(1));
    }
    if (cache) {
      cache.beginCall();
      const merged = this.backbone.layers.map((_, layer) => ({
        conv: concat(
          states.map((s) => s[layer]!.conv),
          0,
        ),
        ssm: concat(
          states.map((s) => s[layer]!.ssm),
          0,
        ),
      }));
      cache.record(merged, T);
    }
    return concat(rows, 0);
  }

  private zeroStates(batch: number): LayerState[] {
    return this.backbone.layers.map((layer) => layer.mixer.initialState(batch));
  }

  private run(ids: Tensor, cache: MambaCache | null): Tensor {
    const { embeddings, layers, norm_f } = this.backbone;
    const T = ids.shape[1]!;
    if (cache === null || cache.length === 0) {
      // Whole sequence through the scan; keep the final state when caching.
      let h = embeddings.forward(ids).to(this.computeDType);
      const finals: LayerState[] = [];
      for (const layer of layers) {
        if (cache) {
          const { y, state } = layer.mixer.forwardWithState(layer.norm.forward(h));
          finals.push(state!);
          h = h.add(y);
        } else h = layer.forward(h);
      }
      if (cache) {
        cache.beginCall();
        cache.record(finals, T);
      }
      return norm_f.forward(h);
    }
    // Token by token from the cached state, a snapshot after each.
    cache.beginCall();
    let states = cache.states!;
    const outputs: Tensor[] = [];
    for (let t = 0; t < T; t++) {
      let h = embeddings
        .forward(ids.narrow(1, t, 1).reshape([ids.shape[0]!]))
        .to(this.computeDType);
      const next: LayerState[] = [];
      layers.forEach((layer, i) => {
        const r = layer.mixer.step(layer.norm.forward(h), states[i]!);
        next.push(r.state);
        h = h.add(r.y);
      });
      states = next;
      cache.record(next, cache.length + 1);
      outputs.push(h);
    }
    return norm_f.forward(stack(outputs, 1));
  }
}

/** Number of real tokens per row of a left-padded mask, checking that pads come first. */
function realRows(
  op: string,
  mask: NonNullable<ForwardOptions['attentionMask']>,
  B: number,
  T: number,
): number[] {
  const rows = (Array.isArray(mask) ? mask : (mask as Tensor).toArray()) as number[][];
  if (rows.length !== B || rows.some((row) => row.length !== T))
    throw new InputError(op, `attentionMask must be [${B}, ${T}] like ids`, 'attentionMask');
  return rows.map((row, b) => {
    const first = row.findIndex((v) => Number(v) !== 0);
    const n = first === -1 ? 0 : T - first;
    for (let t = first === -1 ? T : first; t < T; t++)
      if (Number(row[t]) === 0)
        throw new InputError(
          op,
          `row ${b} of attentionMask is not left padding (a pad follows a real token at ${t})`,
          'attentionMask',
        );
    return n;
  });
}
