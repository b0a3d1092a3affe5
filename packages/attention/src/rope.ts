/**
 * Rotary position embeddings, RoPE (Su et al. 2021, "RoFormer"): rotate
 * each pair of channels of q and k by an angle proportional to the token's
 * position, pos * base^(-2i / r) for pair i of the r rotated channels, so
 * q_m . k_n depends on m - n only. Two pairings are in use:
 * - `half` (GPT-NeoX, LLaMA, Hugging Face's rotate_half): channel i pairs with i + r/2;
 * - `interleaved` (the paper, GPT-J, Meta's original LLaMA code): channel 2i pairs with 2i + 1.
 * Composed from tensor ops (cos / sin tables are constants), so it is
 * differentiable. Positions are explicit, so tree drafts (`treePositions`)
 * and cached decoding pass the right ones.
 */
import { concat, formatShape, stack, type Tensor, tensor } from '@x/tensor';
import { AttentionShapeError, AttentionValueError } from './errors.js';

/** Options of `rope`. */
export interface RopeOptions {
  /** The frequency base (theta in the paper). @default 10000 */
  base?: number;
  /** Channel pairing. @default 'half' */
  style?: 'half' | 'interleaved';
  /** Number of leading channels rotated (even, <= d); the rest pass through (partial rotary, GPT-NeoX). @default d */
  rotaryDim?: number;
}

/**
 * Applies rotary position embeddings to queries or keys.
 * @param x - [B, H, N, d] queries or keys
 * @param positions - the N positions (shared by the batch) or B x N of them: an array, Int32Array, or int32 / float tensor of shape [N] or [B, N]
 * @param options - base, style, rotaryDim
 * @returns the rotated tensor, same shape and dtype
 * @throws AttentionShapeError when x is not rank 4 or positions do not match [N] / [B, N]
 * @throws AttentionValueError for an odd or too large rotaryDim, a non-positive base, or non-finite positions
 * @example
 * const q = tensor([[[[1, 0]]]]); // [1, 1, 1, 2]
 * rope(q, [1], { base: 1 }).toArray() // [[[[0.5403, 0.8415]]]] (a rotation by 1 radian)
 */
export function rope(
  x: Tensor,
  positions: readonly number[] | Int32Array | Float64Array | Tensor,
  options: RopeOptions = {},
): Tensor {
  if (x.rank !== 4)
    throw new AttentionShapeError(
      'rope',
      `x must be [B, H, N, d], got ${formatShape(x.shape, ',')}`,
      [x.shape],
    );
  const [B, H, N, d] = x.shape as [number, number, number, number];
  const r = options.rotaryDim ?? d;
  if (!Number.isSafeInteger(r) || r % 2 !== 0 || r < 2 || r > d)
    throw new AttentionValueError(
      'rope',
      `rotaryDim must be an even integer in [2, ${d}], got ${r}`,
      'rotaryDim',
      r,
    );
  const base = options.base ?? 10000;
  if (!(base > 0) || !Number.isFinite(base))
    throw new AttentionValueError(
      'rope',
      `base must be a positive number, got ${base}`,
      'base',
      base,
    );
  const style = options.style ?? 'half';
  if (style !== 'half' && style !== 'interleaved')
    throw new AttentionValueError(
      'rope',
      `style must be 'half' or 'interleaved', got ${String(style)}`,
      'style',
      style,
    );
  const pos = Float64Array.from(
    (typeof (positions as Tensor).toTypedArray === 'function'
      ? (positions as Tensor).toTypedArray()
      : positions) as ArrayLike<number>,
  );
  const rows = pos.length === N ? 1 : pos.length === B * N ? B : -1;
  const posShape = (positions as Tensor).shape;
  if (rows < 0 || (posShape !== undefined && posShape.length > 2))
    throw new AttentionShapeError(
      'rope',
      `positions must hold N = ${N} or B * N = ${B * N} values, got ${pos.length}`,
      [[pos.length], x.shape],
    );
  const half = r / 2;
  const cos = new Float64Array(rows * N * half);
  const sin = new Float64Array(rows * N * half);
  for (let p = 0; p < rows * N; p++) {
    if (!Number.isFinite(pos[p]!))
      throw new AttentionValueError(
        'rope',
        `position ${pos[p]} at index ${p} is not finite`,
        'positions',
        pos[p],
      );
    for (let i = 0; i < half; i++) {
      const angle = pos[p]! * base ** ((-2 * i) / r);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  const shape = [rows, 1, N, half];
  const c = tensor(cos, { shape, dtype: x.dtype, backend: x.backend });
  const s = tensor(sin, { shape, dtype: x.dtype, backend: x.backend });
  const rotated = x.narrow(3, 0, r);
  let out: Tensor;
  if (style === 'half') {
    const a = rotated.narrow(3, 0, half);
    const b = rotated.narrow(3, half, half);
    out = concat([a.mul(c).sub(b.mul(s)), b.mul(c).add(a.mul(s))], 3);
  } else {
    const pairs = rotated.reshape(B, H, N, half, 2);
    const a = pairs.select(4, 0);
    const b = pairs.select(4, 1);
    out = stack([a.mul(c).sub(b.mul(s)), b.mul(c).add(a.mul(s))], 4).reshape(B, H, N, r);
  }
  return r === d ? out : concat([out, x.narrow(3, r, d - r)], 3);
}
