/**
 * Packed weights on the decode path: the linear layers of the attention
 * models (GPT-2's Conv1D, Llama's q/k/v/o/gate/up/down projections, the tied
 * or untied head) run a product of few rows without gradients through
 * @x/tensor's `project`, against a copy of their weight packed once (on the
 * first such product, repacked when the weight changes: its storage's
 * version counter) in 16-column panels: float32 by default, or the format
 * `quantize` chose. Training, and anything that needs gradients, keeps
 * `matmul` on the parameters themselves.
 *
 * The setting is the model's (`LanguageModel.decodeWeights`); a model's
 * `forward` makes it current for the layers it runs (`withDecodeWeights`),
 * so layer code asks `decodeProduct(x, weight, bias, layout)` and gets null
 * where the ordinary path applies.
 */
import {
  isGradEnabled,
  type PackedFormat,
  type PackedWeights,
  packWeights,
  project,
  type Tensor,
} from '@x/tensor';

/** How a model's linear layers run on the decode path. */
export interface DecodeWeights {
  /** The packed format, or `off` for plain `matmul` everywhere. @default 'f32' */
  readonly format: PackedFormat | 'off';
  /** k values per int8 scale. @default 32 */
  readonly groupSize?: 32 | 64;
  /**
   * Products of at most this many rows (batch x tokens) go through the
   * packed weights. @default 16 for `f32` (past that the square matmul is
   * faster), every row count for the quantized formats (so the model
   * computes with one set of weights)
   */
  readonly maxRows?: number;
}

/** The default: float32 panels for products of up to 16 rows. */
export const DEFAULT_DECODE_WEIGHTS: DecodeWeights = { format: 'f32' };

/** The float32 path's row limit. */
export const DECODE_MAX_ROWS = 16;

let current: DecodeWeights | null = null;

/**
 * Runs `body` with `setting` as the decode-weights setting of the layers it runs.
 * @param setting - the model's setting
 * @param body - the forward pass
 * @returns what `body` returns
 */
export function withDecodeWeights<T>(setting: DecodeWeights, body: () => T): T {
  const previous = current;
  current = setting;
  try {
    return body();
  } finally {
    current = previous;
  }
}

interface PackedEntry {
  readonly version: number;
  readonly storage: unknown;
  readonly format: PackedFormat;
  readonly groupSize: number;
  readonly packed: PackedWeights;
}

const packedByWeight = new WeakMap<Tensor, PackedEntry>();

/**
 * The packed copy of `weight` in `format` (packed now if missing or stale).
 * @param weight - `[K, N]` (`in-out`) or `[N, K]` (`out-in`)
 * @param layout - how `weight` is laid out
 * @param format - the packed format
 * @param groupSize - k values per int8 scale
 * @returns the packed weights
 */
export function packedWeightOf(
  weight: Tensor,
  layout: 'in-out' | 'out-in',
  format: PackedFormat,
  groupSize: 32 | 64 = 32,
): PackedWeights {
  const entry = packedByWeight.get(weight);
  const { storage } = weight;
  if (
    entry &&
    entry.storage === storage &&
    entry.version === storage.version &&
    entry.format === format &&
    entry.groupSize === groupSize
  )
    return entry.packed;
  const packed = packWeights(weight, { format, groupSize, layout });
  packedByWeight.set(weight, { storage, version: storage.version, format, groupSize, packed });
  return packed;
}

/**
 * `x W (+ bias)` through the packed weights when the current setting sends
 * this product there (few rows, no gradients, float32 activations), else null.
 * @param x - activations `[..., K]`
 * @param weight - the layer's weight (`in-out` `[K, N]` or `out-in` `[N, K]`)
 * @param bias - the layer's bias `[N]`, or null
 * @param layout - how `weight` is laid out
 * @returns `[..., N]`, or null where the caller runs its ordinary product
 */
export function decodeProduct(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  layout: 'in-out' | 'out-in',
): Tensor | null {
  const setting = current;
  if (setting === null || setting.format === 'off') return null;
  if (isGradEnabled() && (x.requiresGrad || weight.requiresGrad || bias?.requiresGrad)) return null;
  if (x.dtype !== 'float32' || weight.dtype === 'float64') return null;
  const K = x.shape.at(-1) ?? 0;
  const rows = K === 0 ? 0 : x.size / K;
  const limit = setting.maxRows ?? (setting.format === 'f32' ? DECODE_MAX_ROWS : Infinity);
  if (rows === 0 || rows > limit) return null;
  const packed = packedWeightOf(weight, layout, setting.format, setting.groupSize);
  return project(x, packed, bias && bias.dtype !== 'float32' ? bias.to('float32') : bias);
}
