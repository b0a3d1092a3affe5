/**
 * The Llama family (Touvron et al. 2023; SmolLM, TinyLlama, Mistral, Qwen2)
 * with the module tree of Hugging Face's `LlamaForCausalLM`, so checkpoint
 * keys load unchanged:
 *
 *   model.embed_tokens.weight [V, D]
 *   model.layers.{i}.input_layernorm.weight [D]
 *   model.layers.{i}.self_attn.{q,k,v}_proj.weight [H d | Hkv d, D]   (+ .bias for qwen2)
 *   model.layers.{i}.self_attn.o_proj.weight [D, H d]
 *   model.layers.{i}.post_attention_layernorm.weight [D]
 *   model.layers.{i}.mlp.{gate,up}_proj.weight [I, D], mlp.down_proj.weight [D, I]
 *   model.norm.weight [D]     lm_head.weight [V, D] (absent when tied)
 *
 * Per layer (pre-norm, RMSNorm): h = h + o(attn(rope(q), rope(k), v));
 * h = h + down(silu(gate(x)) * up(x)) with x = post_attention_layernorm(h).
 * RoPE pairs channel i with i + d/2 (`rotate_half`), base `rope_theta`, at
 * the positions the forward context gives (so padding and tree drafts are
 * numbered as Hugging Face numbers them). Grouped-query attention when
 * `num_key_value_heads` < `num_attention_heads`.
 */
import { rope } from '@x/attention';
import {
  type DType,
  Embedding,
  Generator,
  Linear,
  Module,
  noGrad,
  RMSNorm,
  silu,
  type Tensor,
  tensor,
} from '@x/tensor';
import { AttentionCache, attentionCacheOf } from './attention-cache.js';
import { cachedAttention } from './cached-attention.js';
import type { TransformerConfig } from './config.js';
import { decodeProduct } from './decode-weights.js';
import { type ForwardContext, type ForwardOptions, forwardContext } from './forward-context.js';
import { type CacheOptions, LanguageModel, type ModelInitOptions } from './language-model.js';

type Init = { dtype?: DType; generator?: Generator };

/** `layer(x)`, through the packed weights on the decode path (`decode-weights.ts`). */
const linear = (layer: Linear, x: Tensor): Tensor =>
  decodeProduct(x, layer.weight, layer.bias, 'out-in') ?? layer.forward(x);

/** Grouped-query self-attention with rotary positions. */
export class LlamaAttention extends Module {
  readonly q_proj: Linear;
  readonly k_proj: Linear;
  readonly v_proj: Linear;
  readonly o_proj: Linear;
  constructor(
    private readonly config: TransformerConfig,
    init: Init,
  ) {
    super();
    const { hiddenSize: D, heads: H, kvHeads: Hkv, headDim: d, attentionBias, outputBias } = config;
    this.q_proj = new Linear(D, H * d, { ...init, bias: attentionBias });
    this.k_proj = new Linear(D, Hkv * d, { ...init, bias: attentionBias });
    this.v_proj = new Linear(D, Hkv * d, { ...init, bias: attentionBias });
    this.o_proj = new Linear(H * d, D, { ...init, bias: outputBias });
  }
  /** `[B, T, D]` -> `[B, T, D]`, appending to the layer's cache. */
  forward(
    x: Tensor,
    context: ForwardContext,
    positions: Tensor,
    cache: AttentionCache | null,
    layer: number,
  ): Tensor {
    const { heads: H, kvHeads: Hkv, headDim: d, ropeTheta } = this.config;
    const [B, T] = x.shape as [number, number];
    const split = (t: Tensor, heads: number) => t.reshape([B, T, heads, d]).transpose(1, 2);
    const options = { base: ropeTheta, style: 'half' as const };
    const q = rope(split(linear(this.q_proj, x), H), positions, options);
    const k = rope(split(linear(this.k_proj, x), Hkv), positions, options);
    const v = split(linear(this.v_proj, x), Hkv);
    return linear(this.o_proj, cachedAttention(q, k, v, context, cache?.layers[layer] ?? null));
  }
}

/** The SwiGLU feed-forward layer. */
export class LlamaMLP extends Module {
  readonly gate_proj: Linear;
  readonly up_proj: Linear;
  readonly down_proj: Linear;
  constructor(config: TransformerConfig, init: Init) {
    super();
    const { hiddenSize: D, intermediateSize: I, mlpBias: bias } = config;
    this.gate_proj = new Linear(D, I, { ...init, bias });
    this.up_proj = new Linear(D, I, { ...init, bias });
    this.down_proj = new Linear(I, D, { ...init, bias });
  }
  /** down(silu(gate x) * up x). */
  forward(x: Tensor): Tensor {
    return linear(this.down_proj, silu(linear(this.gate_proj, x)).mul(linear(this.up_proj, x)));
  }
}

/** One decoder layer. */
export class LlamaDecoderLayer extends Module {
  readonly input_layernorm: RMSNorm;
  readonly self_attn: LlamaAttention;
  readonly post_attention_layernorm: RMSNorm;
  readonly mlp: LlamaMLP;
  constructor(config: TransformerConfig, init: Init) {
    super();
    const norm = { eps: config.normEps, dtype: init.dtype };
    this.input_layernorm = new RMSNorm(config.hiddenSize, norm);
    this.self_attn = new LlamaAttention(config, init);
    this.post_attention_layernorm = new RMSNorm(config.hiddenSize, norm);
    this.mlp = new LlamaMLP(config, init);
  }
  /** h + attn(norm h), then + mlp(norm h). */
  forward(
    h: Tensor,
    context: ForwardContext,
    positions: Tensor,
    cache: AttentionCache | null,
    layer: number,
  ): Tensor {
    const a = h.add(
      this.self_attn.forward(this.input_layernorm.forward(h), context, positions, cache, layer),
    );
    return a.add(this.mlp.forward(this.post_attention_layernorm.forward(a)));
  }
}

/** Embedding, layers and final norm (`model` in Hugging Face's names). */
export class LlamaModel extends Module {
  readonly embed_tokens: Embedding;
  readonly layers: LlamaDecoderLayer[];
  readonly norm: RMSNorm;
  constructor(config: TransformerConfig, init: Init) {
    super();
    this.embed_tokens = new Embedding(config.vocabSize, config.hiddenSize, init);
    noGrad(() => this.embed_tokens.weight.mul_(0.02));
    this.layers = Array.from({ length: config.layers }, () => new LlamaDecoderLayer(config, init));
    this.norm = new RMSNorm(config.hiddenSize, { eps: config.normEps, dtype: init.dtype });
  }
  /** Not used directly: `LlamaForCausalLM.forward` drives the layers. */
  forward(): never {
    throw new Error('LlamaModel.forward: call LlamaForCausalLM.forward');
  }
}

/**
 * A Llama-family causal language model.
 * @example
 * const config = parseModelConfig({ model_type: 'llama', vocab_size: 64, hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 });
 * new LlamaForCausalLM(config as TransformerConfig).forward([[1, 2]]).logits.shape // [1, 2, 64]
 */
export class LlamaForCausalLM extends LanguageModel {
  declare readonly config: TransformerConfig;
  readonly model: LlamaModel;
  /** The untied head, or null when tied to `embed_tokens`. */
  readonly lm_head: Linear | null;

  /**
   * @param config - a llama-family config
   * @param options - dtype and seed of the initial weights
   */
  constructor(config: TransformerConfig, options: ModelInitOptions = {}) {
    super(config);
    const init = { dtype: options.dtype, generator: new Generator(options.seed ?? 0) };
    this.model = new LlamaModel(config, init);
    this.lm_head = config.tieEmbeddings
      ? null
      : new Linear(config.hiddenSize, config.vocabSize, { ...init, bias: false });
  }

  /** @inheritdoc */
  headWeight(): Tensor {
    return this.lm_head ? this.lm_head.weight : this.model.embed_tokens.weight;
  }

  /** @inheritdoc */
  embeddingWeight(): Tensor {
    return this.model.embed_tokens.weight;
  }

  /** @inheritdoc */
  createCache(options: CacheOptions = {}): AttentionCache {
    return new AttentionCache(this.config.layers, options);
  }

  protected hiddenStates(ids: Tensor, options: ForwardOptions): Tensor {
    const op = 'LlamaForCausalLM.forward';
    const [B, T] = ids.shape as [number, number];
    const cache = attentionCacheOf(op, options.cache, B);
    const context = forwardContext(op, B, T, cache, options);
    const positions = tensor(context.positions, {
      shape: [B, T],
      dtype: 'int32',
      backend: ids.backend,
    });
    let h = this.model.embed_tokens.forward(ids).to(this.computeDType);
    this.model.layers.forEach((layer, i) => {
      h = layer.forward(h, context, positions, cache, i);
    });
    if (cache) cache.extend(context.real);
    return this.model.norm.forward(h);
  }
}
