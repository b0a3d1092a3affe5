/**
 * Medusa heads (Cai et al. 2024, "Medusa: Simple LLM Inference Acceleration
 * Framework with Multiple Decoding Heads"), in the reference
 * implementation's module tree so its state-dict names are kept:
 *
 *   medusa_head.{k}.{l}.linear.{weight [D, D], bias [D]}   ResBlock l of head k
 *   medusa_head.{k}.{L}.weight [V, D]                     head k's projection (absent when shared)
 *
 * Head k (0-based) reads the base model's last hidden state h_t [D] (after
 * the final norm) and predicts the token at t + k + 2, one further ahead
 * than the base model's own next token:
 *
 *   x = h_t;  for each ResBlock: x = x + SiLU(W x + b)   (W zero-initialised: identity at first)
 *   logits_k = P_k x                                     (P_k starts as a copy of the LM head, or is it)
 *
 * `shareLmHead` uses the base model's LM head as every head's projection
 * (not trained, not saved): on a CPU the V x D projection dominates a
 * head's cost and its parameters, so sharing makes heads small and cheap.
 */
import type { LanguageModel } from '@x/lm';
import {
  type DType,
  Generator,
  keep,
  Linear,
  Module,
  matmul,
  noGrad,
  stack,
  type Tensor,
  tidy,
} from '@x/tensor';
import { MedusaValueError } from '../errors.js';
import { type BaseModelSignature, baseModelSignature } from './base-signature.js';

/** Options of `new MedusaHeads`. */
export interface MedusaHeadsOptions {
  /** Number of heads K (`medusa_num_heads`; head k predicts k + 2 tokens ahead). @default 4 */
  heads?: number;
  /** ResBlocks per head (`medusa_num_layers`). @default 1 */
  layers?: number;
  /** Use the base model's LM head as every head's projection instead of a trained copy. @default false */
  shareLmHead?: boolean;
  /** The base model's name or folder, saved in the config (`base_model_name_or_path`). @default 'base' */
  baseModel?: string;
  /** Seed of the ResBlock biases (the weights start at zero). @default 0 */
  seed?: number;
}

/** The heads' configuration (the config.json the reference writes, plus ours). */
export interface MedusaHeadsConfig {
  /** K, the number of heads (`medusa_num_heads`). */
  readonly numHeads: number;
  /** ResBlocks per head (`medusa_num_layers`). */
  readonly numLayers: number;
  /** D, the base model's width. */
  readonly hiddenSize: number;
  /** V, the base model's vocabulary. */
  readonly vocabSize: number;
  /** Whether the heads use the base model's LM head as projection. */
  readonly shareLmHead: boolean;
  /** The base model's name (`base_model_name_or_path`). */
  readonly baseModel: string;
  /** What identifies the base model. */
  readonly baseSignature: BaseModelSignature;
}

/** Measured accuracy of the heads on held-out text (saved with them, read by the tree choice). */
export interface HeadAccuracy {
  /** top1[k]: how often head k's first choice is the base model's token k + 2 ahead. */
  readonly top1: readonly number[];
  /** top5[k]: how often that token is among head k's five first choices. */
  readonly top5: readonly number[];
  /** rank[k][i]: how often it is exactly head k's (i+1)-th choice, i < 10 (the tree choice's input). */
  readonly rank: readonly (readonly number[])[];
  /** Positions measured (per head). */
  readonly positions: number;
}

/** x + SiLU(W x + b), W zero-initialised (the reference's `ResBlock`). */
export class ResBlock extends Module {
  readonly linear: Linear;
  /**
   * @param hiddenSize - D
   * @param options - dtype and generator of the bias
   */
  constructor(hiddenSize: number, options: { dtype?: DType; generator?: Generator } = {}) {
    super();
    this.linear = new Linear(hiddenSize, hiddenSize, options);
    noGrad(() => this.linear.weight.zero_());
  }
  /** `[..., D]` -> `[..., D]`. */
  forward(x: Tensor): Tensor {
    return x.add(this.linear.forward(x).silu());
  }
}

/** One head: ResBlocks, then (unless shared) its own projection to the vocabulary. */
export class MedusaHead extends Module {
  readonly blocks: ResBlock[];
  readonly projection: Linear | null;
  /**
   * @param hiddenSize - D
   * @param vocabSize - V
   * @param layers - ResBlocks
   * @param projectionInit - the LM head `[V, D]` to copy into the projection, or null to share it
   * @param generator - for the biases
   */
  constructor(
    hiddenSize: number,
    vocabSize: number,
    layers: number,
    projectionInit: Tensor | null,
    generator: Generator,
  ) {
    super();
    this.blocks = Array.from({ length: layers }, () => new ResBlock(hiddenSize, { generator }));
    if (projectionInit === null) this.projection = null;
    else {
      this.projection = new Linear(hiddenSize, vocabSize, { bias: false });
      noGrad(() => this.projection!.weight.copy_(projectionInit.to('float32')));
    }
  }

  /** Children named as the reference's `nn.Sequential`: blocks `0..L-1`, projection `L`. */
  override namedChildren(): [string, Module][] {
    const out: [string, Module][] = this.blocks.map((block, i) => [String(i), block]);
    if (this.projection) out.push([String(this.blocks.length), this.projection]);
    return out;
  }

  /** The head's input to its projection, `[..., D]`. */
  forward(hidden: Tensor): Tensor {
    let x = hidden;
    for (const block of this.blocks) x = block.forward(x);
    return x;
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new MedusaValueError(
      'MedusaHeads',
      `${name} must be a positive integer, got ${value}`,
      name,
      value,
    );
  return value;
}

/**
 * The K Medusa heads of one base model.
 * @example
 * const heads = new MedusaHeads(model, { heads: 4 });
 * heads.logits(0, hidden).shape // [..., vocabSize]: head 0 predicts the token after next
 */
export class MedusaHeads extends Module {
  readonly config: MedusaHeadsConfig;
  readonly medusa_head: MedusaHead[];
  /** Held-out accuracy, once measured (training sets it; loading reads it). */
  accuracy: HeadAccuracy | null = null;
  /** The base model's LM head, for shared projections (a function, so it is not a parameter of the heads). */
  private readonly baseHead: () => Tensor;

  /**
   * @param model - the base model (frozen; its width, vocabulary and LM head are used)
   * @param options - number of heads, layers, sharing, name, seed
   * @throws MedusaValueError for a non-positive number of heads or layers
   */
  constructor(model: LanguageModel, options: MedusaHeadsOptions = {}) {
    super();
    const numHeads = positiveInteger('heads', options.heads ?? 4);
    const numLayers = positiveInteger('layers', options.layers ?? 1);
    const shareLmHead = options.shareLmHead ?? false;
    const { hiddenSize, vocabSize } = model.config;
    this.config = {
      numHeads,
      numLayers,
      hiddenSize,
      vocabSize,
      shareLmHead,
      baseModel: options.baseModel ?? 'base',
      baseSignature: baseModelSignature(model),
    };
    this.baseHead = () => model.headWeight();
    const generator = new Generator(options.seed ?? 0);
    const init = shareLmHead ? null : noGrad(() => model.headWeight().detach());
    this.medusa_head = Array.from(
      { length: numHeads },
      () => new MedusaHead(hiddenSize, vocabSize, numLayers, init, generator),
    );
  }

  /** The projection `[V, D]` of head k (its own, or the base model's LM head). */
  projectionWeight(k: number): Tensor {
    const own = this.medusa_head[k]!.projection;
    return own ? own.weight : this.baseHead().detach();
  }

  /**
   * Head k's logits for hidden states.
   * @param k - head index in [0, K)
   * @param hidden - the base model's last hidden states `[..., D]`
   * @returns logits `[..., V]` for the token k + 2 positions after each input position
   */
  logits(k: number, hidden: Tensor): Tensor {
    const x = this.medusa_head[k]!.forward(hidden);
    const weight = this.projectionWeight(k);
    return matmul(x, (weight.dtype === x.dtype ? weight : weight.to(x.dtype)).transpose(0, 1));
  }

  /**
   * Every head's logits, stacked.
   * @param hidden - `[..., D]`
   * @returns `[K, ..., V]`
   */
  forward(hidden: Tensor): Tensor {
    return stack(
      this.medusa_head.map((_, k) => this.logits(k, hidden)),
      0,
    );
  }

  /**
   * A decoding-time view of the heads with their weights fused (all heads'
   * ResBlocks as one batched product, all projections as one), built once
   * per generation; call again after changing the weights.
   * @returns the runner
   */
  runner(): HeadsRunner {
    return new HeadsRunner(this);
  }
}

/** The heads' weights stacked for one-row decoding: a few tensor ops per step for all K heads. */
export class HeadsRunner {
  /** Per layer: W^T of every head `[K, D, D]` and biases `[K, 1, D]`. */
  private readonly blocks: { weight: Tensor; bias: Tensor }[];
  /** Own projections `[K, D, V]`, or the shared LM head transposed `[D, V]`. */
  private readonly projection: Tensor;
  private readonly shared: boolean;
  readonly numHeads: number;
  readonly vocabSize: number;

  /** @param heads - the heads */
  constructor(heads: MedusaHeads) {
    const { numHeads: K, numLayers, shareLmHead } = heads.config;
    this.numHeads = K;
    this.vocabSize = heads.config.vocabSize;
    this.shared = shareLmHead;
    const fused = noGrad(() =>
      tidy(() => {
        const blocks = Array.from({ length: numLayers }, (_, l) => {
          const linears = heads.medusa_head.map((head) => head.blocks[l]!.linear);
          return {
            weight: stack(linears.map((linear) => linear.weight.transpose(0, 1).to('float32'))),
            bias: stack(linears.map((linear) => linear.bias!.reshape([1, -1]).to('float32'))),
          };
        });
        const projection = shareLmHead
          ? heads.projectionWeight(0).to('float32').transpose(0, 1).contiguous()
          : stack(heads.medusa_head.map((_, k) => heads.projectionWeight(k).transpose(0, 1)));
        return { blocks, projection };
      }),
    );
    this.blocks = fused.blocks.map(({ weight, bias }) => ({
      weight: keep(weight),
      bias: keep(bias),
    }));
    this.projection = keep(fused.projection);
  }

  /**
   * Every head's logits for one hidden state, as one flat array.
   * @param hidden - the base model's last hidden state, `D` values (a `[..., D]` tensor's last row is used)
   * @returns K x V logits, row k for head k
   */
  logits(hidden: Tensor): Float32Array {
    return noGrad(() =>
      tidy(() => {
        const D = hidden.shape[hidden.rank - 1]!;
        const row = hidden.reshape([-1, D]);
        const last = row.narrow(0, row.shape[0]! - 1, 1).to('float32');
        // x: [K, 1, D], every head starting from the same h
        let x = last.reshape([1, 1, D]).expand([this.numHeads, 1, D]);
        for (const { weight, bias } of this.blocks) x = x.add(matmul(x, weight).add(bias).silu());
        const out = this.shared
          ? matmul(x.reshape([this.numHeads, D]), this.projection)
          : matmul(x, this.projection);
        const values = out.toTypedArray();
        return values instanceof Float32Array
          ? values
          : Float32Array.from(values as ArrayLike<number>);
      }),
    );
  }

  /** Releases the fused weights. */
  dispose(): void {
    for (const { weight, bias } of this.blocks) {
      weight.dispose();
      bias.dispose();
    }
    this.projection.dispose();
  }
}
