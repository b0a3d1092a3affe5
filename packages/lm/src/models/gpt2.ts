/**
 * GPT-2 (Radford et al. 2019) with the module tree of Hugging Face's
 * `GPT2LMHeadModel`, so `model.safetensors` keys load unchanged:
 *
 *   transformer.wte.weight [V, D]          transformer.wpe.weight [P, D]
 *   transformer.h.{i}.ln_1.{weight,bias}   transformer.h.{i}.attn.c_attn.{weight [D, 3D], bias}
 *   transformer.h.{i}.attn.c_proj.{weight [D, D], bias}
 *   transformer.h.{i}.ln_2.{weight,bias}   transformer.h.{i}.mlp.c_fc.{weight [D, I], bias}
 *   transformer.h.{i}.mlp.c_proj.{weight [I, D], bias}
 *   transformer.ln_f.{weight,bias}         (lm_head tied to wte)
 *
 * Conv1D weights are stored in-by-out (x W + b), unlike Linear's out-by-in.
 * Per block (pre-norm): h = h + attn(ln_1(h)); h = h + mlp(ln_2(h)), with
 * mlp(x) = c_proj(gelu_tanh(c_fc(x))) and attention scaled by 1 / sqrt(d).
 */
import {
  add,
  type DType,
  Embedding,
  Generator,
  gelu,
  LayerNorm,
  Linear,
  Module,
  matmul,
  nn,
  noGrad,
  parameter,
  type Tensor,
  tensor,
  zeros,
} from '@x/tensor';
import { InputError } from '../errors.js';
import { AttentionCache, attentionCacheOf } from './attention-cache.js';
import { cachedAttention } from './cached-attention.js';
import type { TransformerConfig } from './config.js';
import { decodeProduct } from './decode-weights.js';
import { type ForwardContext, type ForwardOptions, forwardContext } from './forward-context.js';
import { type CacheOptions, LanguageModel, type ModelInitOptions } from './language-model.js';

/** GPT-2's Conv1D: y = x W + b with W stored `[in, out]`. */
export class Conv1D extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  /**
   * @param inFeatures - input width
   * @param outFeatures - output width
   * @param options - dtype, generator
   */
  constructor(
    inFeatures: number,
    outFeatures: number,
    options: { dtype?: DType; generator?: Generator } = {},
  ) {
    super();
    const dtype = options.dtype ?? 'float32';
    this.weight = parameter(
      nn.init.normal_(zeros([inFeatures, outFeatures], { dtype }), 0, 0.02, options.generator),
    );
    this.bias = parameter(zeros([outFeatures], { dtype }));
  }
  /** `[..., in]` -> `[..., out]` (packed weights on the decode path: `decode-weights.ts`). */
  forward(x: Tensor): Tensor {
    return (
      decodeProduct(x, this.weight, this.bias, 'in-out') ?? add(matmul(x, this.weight), this.bias)
    );
  }
}

/** Causal self-attention of one block. */
export class GPT2Attention extends Module {
  readonly c_attn: Conv1D;
  readonly c_proj: Conv1D;
  constructor(
    private readonly config: TransformerConfig,
    options: { dtype?: DType; generator?: Generator },
  ) {
    super();
    const D = config.hiddenSize;
    this.c_attn = new Conv1D(D, 3 * D, options);
    this.c_proj = new Conv1D(D, D, options);
  }
  /** `[B, T, D]` -> `[B, T, D]`, appending to `cache`. */
  forward(x: Tensor, context: ForwardContext, cache: AttentionCache | null, layer: number): Tensor {
    const { heads: H, headDim: d, hiddenSize: D } = this.config;
    const [B, T] = x.shape as [number, number];
    const [q, k, v] = this.c_attn.forward(x).split([D, D, D], -1) as [Tensor, Tensor, Tensor];
    const split = (t: Tensor) => t.reshape([B, T, H, d]).transpose(1, 2);
    const merged = cachedAttention(
      split(q),
      split(k),
      split(v),
      context,
      cache?.layers[layer] ?? null,
    );
    return this.c_proj.forward(merged);
  }
}

/** The feed-forward layer of one block. */
export class GPT2MLP extends Module {
  readonly c_fc: Conv1D;
  readonly c_proj: Conv1D;
  constructor(config: TransformerConfig, options: { dtype?: DType; generator?: Generator }) {
    super();
    this.c_fc = new Conv1D(config.hiddenSize, config.intermediateSize, options);
    this.c_proj = new Conv1D(config.intermediateSize, config.hiddenSize, options);
  }
  /** `[B, T, D]` -> `[B, T, D]`. */
  forward(x: Tensor): Tensor {
    return this.c_proj.forward(gelu(this.c_fc.forward(x), { approximate: 'tanh' }));
  }
}

/** One pre-norm block. */
export class GPT2Block extends Module {
  readonly ln_1: LayerNorm;
  readonly attn: GPT2Attention;
  readonly ln_2: LayerNorm;
  readonly mlp: GPT2MLP;
  constructor(config: TransformerConfig, options: { dtype?: DType; generator?: Generator }) {
    super();
    const norm = { eps: config.normEps, dtype: options.dtype };
    this.ln_1 = new LayerNorm(config.hiddenSize, norm);
    this.attn = new GPT2Attention(config, options);
    this.ln_2 = new LayerNorm(config.hiddenSize, norm);
    this.mlp = new GPT2MLP(config, options);
  }
  /** h + attn(ln_1 h), then + mlp(ln_2 h). */
  forward(h: Tensor, context: ForwardContext, cache: AttentionCache | null, layer: number): Tensor {
    const a = h.add(this.attn.forward(this.ln_1.forward(h), context, cache, layer));
    return a.add(this.mlp.forward(this.ln_2.forward(a)));
  }
}

/** Embeddings, blocks and final norm (`transformer` in Hugging Face's names). */
export class GPT2Model extends Module {
  readonly wte: Embedding;
  readonly wpe: Embedding;
  readonly h: GPT2Block[];
  readonly ln_f: LayerNorm;
  constructor(config: TransformerConfig, options: ModelInitOptions = {}) {
    super();
    const generator = new Generator(options.seed ?? 0);
    const init = { dtype: options.dtype, generator };
    this.wte = new Embedding(config.vocabSize, config.hiddenSize, init);
    this.wpe = new Embedding(config.maxPositions, config.hiddenSize, init);
    noGrad(() => {
      this.wte.weight.mul_(0.02);
      this.wpe.weight.mul_(0.01);
    });
    this.h = Array.from({ length: config.layers }, () => new GPT2Block(config, init));
    // GPT-2's scaled init of the residual projections: N(0, 0.02 / sqrt(2 n_layer)).
    noGrad(() => {
      for (const block of this.h) {
        block.attn.c_proj.weight.mul_(1 / Math.sqrt(2 * config.layers));
        block.mlp.c_proj.weight.mul_(1 / Math.sqrt(2 * config.layers));
      }
    });
    this.ln_f = new LayerNorm(config.hiddenSize, { eps: config.normEps, dtype: options.dtype });
  }
  /** Not used directly: `GPT2LMHeadModel.forward` drives the blocks. */
  forward(): never {
    throw new InputError('GPT2Model.forward', 'call GPT2LMHeadModel.forward', 'ids');
  }
}

/**
 * GPT-2 with its language-model head (tied to `wte`).
 * @example
 * const model = new GPT2LMHeadModel(parseModelConfig({ model_type: 'gpt2', vocab_size: 65, n_positions: 64, n_embd: 32, n_layer: 2, n_head: 2 }) as TransformerConfig);
 * model.forward([[1, 2, 3]]).logits.shape // [1, 3, 65]
 */
export class GPT2LMHeadModel extends LanguageModel {
  declare readonly config: TransformerConfig;
  readonly transformer: GPT2Model;
  /** The untied head (`lm_head.weight`), or null when tied to `wte`. */
  readonly lm_head: Linear | null;

  /**
   * @param config - a `gpt2` config
   * @param options - dtype and seed of the initial weights
   */
  constructor(config: TransformerConfig, options: ModelInitOptions = {}) {
    super(config);
    this.transformer = new GPT2Model(config, options);
    this.lm_head = config.tieEmbeddings
      ? null
      : new Linear(config.hiddenSize, config.vocabSize, { bias: false, dtype: options.dtype });
  }

  /** @inheritdoc */
  headWeight(): Tensor {
    return this.lm_head ? this.lm_head.weight : this.transformer.wte.weight;
  }

  /** @inheritdoc */
  embeddingWeight(): Tensor {
    return this.transformer.wte.weight;
  }

  /** @inheritdoc */
  createCache(options: CacheOptions = {}): AttentionCache {
    return new AttentionCache(this.config.layers, options);
  }

  protected hiddenStates(ids: Tensor, options: ForwardOptions): Tensor {
    const op = 'GPT2LMHeadModel.forward';
    const [B, T] = ids.shape as [number, number];
    const cache = attentionCacheOf(op, options.cache, B);
    const context = forwardContext(op, B, T, cache, options);
    const P = this.config.maxPositions;
    for (const p of context.positions)
      if (p >= P)
        throw new InputError(
          op,
          `position ${p} is past the model's context of ${P} positions`,
          'positions',
        );
    const { wte, wpe, h: blocks, ln_f } = this.transformer;
    const positions = tensor(context.positions, {
      shape: [B, T],
      dtype: 'int32',
      backend: ids.backend,
    });
    const dtype = this.computeDType;
    let h = wte.forward(ids).to(dtype).add(wpe.forward(positions).to(dtype));
    blocks.forEach((block, i) => {
      h = block.forward(h, context, cache, i);
    });
    if (cache) cache.extend(context.real);
    return ln_f.forward(h);
  }
}
