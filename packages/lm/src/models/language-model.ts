/**
 * `LanguageModel`: the base class of every decoder in this package. It owns
 * what the architectures share — checking the ids, the output head (tied to
 * the embedding or not), logits of the last position only, the compute dtype
 * — and leaves the body (`hiddenStates`) and the cache to each architecture.
 *
 *   hidden = body(ids, cache)      [B, T, D], after the final norm
 *   logits = hidden W_head^T       [B, T, V]
 */
import { type DType, Module, matmul, type Tensor, tensor } from '@x/tensor';
import { InputError } from '../errors.js';
import type { ModelCache } from './cache.js';
import type { ModelConfig } from './config.js';
import {
  DEFAULT_DECODE_WEIGHTS,
  type DecodeWeights,
  decodeProduct,
  withDecodeWeights,
} from './decode-weights.js';
import type { ForwardOptions } from './forward-context.js';

/** What `forward` returns. */
export interface ForwardResult {
  /** Next-token logits, `[B, T, V]` (`[B, 1, V]` with `lastOnly`). */
  readonly logits: Tensor;
  /** The last hidden state after the final norm, `[B, T, D]` (what Medusa heads read). */
  readonly hidden: Tensor;
}

/** Options of `createCache`. */
export interface CacheOptions {
  /** Sequences in the batch. @default 1 */
  batch?: number;
  /** Positions to reserve up front (attention models). @default 256 */
  capacity?: number;
}

/** Options of a model built from a config (random initial weights). */
export interface ModelInitOptions {
  /** Parameter dtype. @default 'float32' */
  dtype?: DType;
  /** Seed of the initial weights . @default 0 */
  seed?: number;
}

/** Token ids as a tensor or nested arrays. */
export type TokenIds = Tensor | readonly (readonly number[])[];

/** A decoder-only language model. */
export abstract class LanguageModel extends Module {
  /**
   * @param config - the normalized configuration
   */
  constructor(readonly config: ModelConfig) {
    super();
  }

  /**
   * How the linear layers run products of few rows without gradients (the
   * decode step): against weights packed once for @x/tensor's `project`, in
   * float32 by default; `quantize` sets a 16-bit or int8 format; `{ format:
   * 'off' }` keeps `matmul` everywhere.
   * @default { format: 'f32' } (products of up to 16 rows)
   */
  decodeWeights: DecodeWeights = DEFAULT_DECODE_WEIGHTS;

  /** The model's body: hidden states after the final norm, `[B, T, D]`. */
  protected abstract hiddenStates(ids: Tensor, options: ForwardOptions): Tensor;

  /** The output projection `[V, D]`: `lm_head.weight`, or the token embedding when tied. */
  abstract headWeight(): Tensor;

  /** The token embedding table `[V, D]`. */
  abstract embeddingWeight(): Tensor;

  /**
   * A new, empty decoding cache for this model.
   * @param options - batch size and capacity
   * @returns the cache, owned by the caller
   */
  abstract createCache(options?: CacheOptions): ModelCache;

  /** The dtype activations are computed in: float64 for a float64 model, else float32. */
  get computeDType(): DType {
    return this.embeddingWeight().dtype === 'float64' ? 'float64' : 'float32';
  }

  /**
   * Runs the model over new tokens, reading and extending `options.cache`.
   * @param ids - int32 `[B, T]` token ids (a tensor or nested arrays)
   * @param options - cache, positions, attentionMask (left padding), a custom mask (tree verification), lastOnly
   * @returns logits `[B, T, V]` and the last hidden state `[B, T, D]`
   * @throws InputError for ids that are not [B, T] integers in [0, vocabSize), or options that do not match them
   * @example
   * const { logits } = model.forward([[1, 2, 3]]);
   * logits.shape // [1, 3, vocabSize]
   */
  override forward(ids: TokenIds, options: ForwardOptions = {}): ForwardResult {
    const input = this.checkIds(ids);
    const T = input.shape[1]!;
    return withDecodeWeights(this.decodeWeights, () => {
      let hidden = this.hiddenStates(input, options);
      if (options.lastOnly && T > 1) hidden = hidden.narrow(1, T - 1, 1);
      const head = this.headWeight();
      const logits =
        decodeProduct(hidden, head, null, 'out-in') ??
        matmul(
          hidden,
          (head.dtype === hidden.dtype ? head : head.to(hidden.dtype)).transpose(0, 1),
        );
      return { logits, hidden };
    });
  }

  private checkIds(ids: TokenIds): Tensor {
    const op = `${this.constructor.name}.forward`;
    let t: Tensor;
    if (Array.isArray(ids)) {
      const rows = ids as readonly (readonly number[])[];
      const width = rows[0]?.length ?? 0;
      if (
        rows.length === 0 ||
        width === 0 ||
        rows.some((row) => !Array.isArray(row) || row.length !== width)
      )
        throw new InputError(
          op,
          'ids must be a non-empty [B, T] array of equal-length rows',
          'ids',
        );
      const flat = Int32Array.from(rows.flat());
      this.checkRange(op, flat);
      t = tensor(flat, {
        shape: [rows.length, width],
        dtype: 'int32',
        backend: this.embeddingWeight().backend,
      });
    } else {
      t = ids as Tensor;
      if (t.rank !== 2 || t.dtype !== 'int32' || t.size === 0)
        throw new InputError(
          op,
          `ids must be a non-empty int32 [B, T] tensor, got ${t.dtype} [${t.shape.join(', ')}]`,
          'ids',
        );
      this.checkRange(op, t.toTypedArray() as Int32Array);
    }
    return t;
  }

  private checkRange(op: string, flat: ArrayLike<number>): void {
    const V = this.config.vocabSize;
    for (let i = 0; i < flat.length; i++) {
      const id = flat[i]!;
      if (!Number.isSafeInteger(id) || id < 0 || id >= V)
        throw new InputError(op, `ids[${i}] = ${id} is outside the vocabulary [0, ${V})`, 'ids');
    }
  }
}
