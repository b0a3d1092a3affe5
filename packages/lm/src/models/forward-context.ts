/**
 * What a transformer's forward pass derives once from its arguments and
 * shares with every layer: the position of each new token and the
 * attention mask over the cached plus new positions.
 *
 * Shapes: ids [B, T]; the cache holds L positions; keys are the L + T
 * positions. The mask is null when plain causal attention is exact (no
 * padding anywhere, no custom mask): the layers then pass `causal: true`
 * and the flash kernel skips the masked tiles. Otherwise it is a bool
 * tensor [B, 1, T, L + T]: key j is visible to new token i when j is a real
 * token (not padding) and either j is cached (j < L) or, among the new
 * tokens, j - L <= i (causal) — or the caller's `mask` says so (tree
 * verification passes `treeMask(parents, L)`).
 *
 * Positions count real tokens only (as Hugging Face's `cumsum(mask) - 1`),
 * so a left-padded row numbers its first real token 0, exactly as the same
 * prompt alone would.
 */
import { type Tensor, tensor } from '@x/tensor';
import { InputError } from '../errors.js';
import type { AttentionCache } from './attention-cache.js';

/** Per-call options of a model's forward pass. */
export interface ForwardOptions {
  /** The cache to read and extend (`model.createCache()`); none for a plain full-sequence pass. */
  cache?: import('./cache.js').ModelCache | null;
  /** Positions of the new tokens, `[T]` for every row or `[B, T]`. @default following the cache's real tokens */
  positions?: readonly number[] | readonly (readonly number[])[] | Int32Array;
  /** Which new tokens are real (1) or padding (0), `[B, T]` (left padding for batched prompts). @default all real */
  attentionMask?: readonly (readonly number[])[] | Tensor;
  /**
   * A custom mask over the cached and new positions, bool broadcasting to
   * `[B, 1, T, L + T]` (true = attend), e.g. `treeMask(parents, L)` from
   * @x/attention for tree verification. Combined with the padding mask.
   */
  mask?: Tensor;
  /** Compute logits of the last position only (`[B, 1, V]`): prefill needs no more. @default false */
  lastOnly?: boolean;
}

/** The derived per-call values. */
export interface ForwardContext {
  readonly batch: number;
  readonly tokens: number;
  /** Cached positions before this call. */
  readonly past: number;
  /** Positions of the new tokens, row-major [B, T]. */
  readonly positions: Int32Array;
  /** The explicit mask, or null for plain causal attention. */
  readonly mask: Tensor | null;
  /** Real-token flags of the new tokens, B rows of T. */
  readonly real: Uint8Array[];
}

function realFlags(
  op: string,
  B: number,
  T: number,
  mask: ForwardOptions['attentionMask'],
): Uint8Array[] {
  if (mask === undefined) return Array.from({ length: B }, () => new Uint8Array(T).fill(1));
  const rows: readonly (readonly number[])[] =
    mask instanceof Object && 'shape' in mask
      ? ((mask as Tensor).toArray() as number[][])
      : (mask as readonly (readonly number[])[]);
  if (rows.length !== B || rows.some((row) => row.length !== T))
    throw new InputError(
      op,
      `attentionMask must be [${B}, ${T}] like ids, got [${rows.length}, ${rows[0]?.length ?? 0}]`,
      'attentionMask',
    );
  return rows.map((row) => Uint8Array.from(row, (v) => (Number(v) ? 1 : 0)));
}

function explicitPositions(
  op: string,
  B: number,
  T: number,
  positions: NonNullable<ForwardOptions['positions']>,
): Int32Array {
  const out = new Int32Array(B * T);
  const flat =
    positions instanceof Int32Array ? Array.from(positions) : (positions as readonly unknown[]);
  if (flat.length === T && !Array.isArray(flat[0])) {
    for (let b = 0; b < B; b++) out.set(flat as number[], b * T);
  } else if (flat.length === B && flat.every((row) => Array.isArray(row) && row.length === T)) {
    (flat as number[][]).forEach((row, b) => {
      out.set(row, b * T);
    });
  } else throw new InputError(op, `positions must be [${T}] or [${B}, ${T}]`, 'positions');
  for (const p of out)
    if (!Number.isSafeInteger(p) || p < 0)
      throw new InputError(op, `positions must be non-negative integers, got ${p}`, 'positions');
  return out;
}

/**
 * Derives positions and the mask of one forward call.
 * @param op - the calling operation, for messages
 * @param B - batch size
 * @param T - new tokens per row
 * @param cache - the attention cache, or null
 * @param options - the forward options
 * @returns the context shared by the layers
 * @throws InputError for a mask or positions that do not match [B, T]
 */
export function forwardContext(
  op: string,
  B: number,
  T: number,
  cache: AttentionCache | null,
  options: ForwardOptions,
): ForwardContext {
  const past = cache?.length ?? 0;
  const real = realFlags(op, B, T, options.attentionMask);
  let positions: Int32Array;
  if (options.positions !== undefined) positions = explicitPositions(op, B, T, options.positions);
  else {
    positions = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      let next = cache?.realTokens(b) ?? 0;
      for (let t = 0; t < T; t++) positions[b * T + t] = real[b]![t] ? next++ : 0;
    }
  }
  const padded = (cache?.hasPadding ?? false) || real.some((row) => row.includes(0));
  if (!padded && options.mask === undefined)
    return { batch: B, tokens: T, past, positions, mask: null, real };
  const M = past + T;
  let custom: Uint8Array | null = null;
  let customBatch = 1;
  if (options.mask !== undefined) {
    const m = options.mask;
    const shape = m.shape;
    const rank = shape.length;
    if (
      rank < 2 ||
      shape[rank - 1] !== M ||
      shape[rank - 2] !== T ||
      (rank === 4 && shape[1] !== 1) ||
      rank > 4
    )
      throw new InputError(
        op,
        `mask must broadcast to [${B}, 1, ${T}, ${M}], got [${shape.join(', ')}]`,
        'mask',
      );
    customBatch = rank >= 3 ? shape[0]! : 1;
    if (customBatch !== 1 && customBatch !== B)
      throw new InputError(op, `mask batch ${customBatch} does not match ids batch ${B}`, 'mask');
    custom = Uint8Array.from(m.toTypedArray() as ArrayLike<number>, (v) => (v ? 1 : 0));
  }
  const bits = new Uint8Array(B * T * M);
  for (let b = 0; b < B; b++) {
    const base = custom ? (customBatch === 1 ? 0 : b * T * M) : 0;
    for (let i = 0; i < T; i++) {
      const row = (b * T + i) * M;
      for (let j = 0; j < M; j++) {
        const keyReal = j < past ? cache!.isReal(b, j) : real[b]![j - past] === 1;
        const structural = custom ? custom[base + i * M + j] === 1 : j < past || j - past <= i;
        bits[row + j] = keyReal && structural ? 1 : 0;
      }
    }
  }
  return {
    batch: B,
    tokens: T,
    past,
    positions,
    mask: tensor(bits, { shape: [B, 1, T, M], dtype: 'bool' }),
    real,
  };
}
