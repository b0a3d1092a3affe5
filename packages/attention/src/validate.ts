/**
 * Validation at the API boundary: shapes, dtypes, backends, option ranges,
 * NaN / Infinity in the inputs, and combinations an implementation does not
 * support. Produces the resolved call every implementation reads, so no
 * implementation re-checks anything.
 */
import { defaultGenerator, type Tensor } from '@x/tensor';
import {
  checkFiniteValues,
  checkMask,
  checkTensor,
  fmt,
  positiveInteger,
  resolveSlopes,
} from './checks.js';
import { AttentionDTypeError, AttentionShapeError, AttentionValueError } from './errors.js';
import {
  type AttentionImplementation,
  type AttentionOptions,
  DEFAULT_BLOCK_KEY,
  DEFAULT_BLOCK_QUERY,
  type FeatureMap,
} from './options.js';
import type { SparsePattern } from './sparse-patterns.js';

/** Everything an implementation needs, validated. */
export interface ResolvedCall {
  readonly implementation: Exclude<AttentionImplementation, 'auto'>;
  readonly batch: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly queries: number;
  readonly keys: number;
  readonly headDim: number;
  readonly valueDim: number;
  readonly dtype: 'float32' | 'float64';
  readonly scale: number;
  readonly causal: boolean;
  readonly mask: Tensor | null;
  readonly dropout: number;
  readonly seed: number;
  readonly alibiSlopes: Float64Array | null;
  readonly pattern: SparsePattern | null;
  readonly blockQuery: number;
  readonly blockKey: number;
  readonly featureMap: FeatureMap;
  readonly linearForm: 'scan' | 'chunked';
  readonly chunkSize: number;
  readonly eps: number;
}

const IMPLEMENTATIONS = ['naive', 'flash', 'linear', 'sparse', 'auto'] as const;
const OP = 'attention';

/**
 * Validates a call and fills in the defaults.
 * @throws AttentionShapeError, AttentionDTypeError, AttentionValueError (see `attention`)
 */
export function resolveCall(
  q: unknown,
  k: unknown,
  v: unknown,
  options: AttentionOptions,
): ResolvedCall {
  const qt = checkTensor('q', q);
  const kt = checkTensor('k', k);
  const vt = checkTensor('v', v);
  if (kt.dtype !== qt.dtype || vt.dtype !== qt.dtype)
    throw new AttentionDTypeError(
      OP,
      `q, k and v must share a dtype, got ${qt.dtype}, ${kt.dtype}, ${vt.dtype}`,
      kt.dtype === qt.dtype ? vt.dtype : kt.dtype,
    );
  if (kt.backend !== qt.backend || vt.backend !== qt.backend)
    throw new AttentionValueError(
      OP,
      `q, k and v must live on one backend, got ${qt.backend}, ${kt.backend}, ${vt.backend}`,
      'backend',
      [qt.backend, kt.backend, vt.backend],
    );
  const [B, H, N, d] = qt.shape as [number, number, number, number];
  const [Bk, Hkv, M, dk] = kt.shape as [number, number, number, number];
  const [Bv, Hv, Mv, dv] = vt.shape as [number, number, number, number];
  if (Bk !== B || Bv !== B)
    throw new AttentionShapeError(
      OP,
      `batch sizes differ, q ${fmt(qt.shape)}, k ${fmt(kt.shape)}, v ${fmt(vt.shape)}`,
      [qt.shape, kt.shape, vt.shape],
    );
  if (dk !== d)
    throw new AttentionShapeError(
      OP,
      `q and k head sizes differ, q ${fmt(qt.shape)}, k ${fmt(kt.shape)}`,
      [qt.shape, kt.shape],
    );
  if (Hv !== Hkv || Mv !== M)
    throw new AttentionShapeError(
      OP,
      `k and v must agree on heads and length, k ${fmt(kt.shape)}, v ${fmt(vt.shape)}`,
      [kt.shape, vt.shape],
    );
  if (Hkv === 0 || H % Hkv !== 0)
    throw new AttentionShapeError(
      OP,
      `k heads (${Hkv}) must divide q heads (${H}), q ${fmt(qt.shape)}, k ${fmt(kt.shape)}`,
      [qt.shape, kt.shape],
    );
  if (d === 0 && H > 0)
    throw new AttentionShapeError(OP, `head size must be at least 1, q ${fmt(qt.shape)}`, [
      qt.shape,
    ]);

  const requested = options.implementation ?? 'auto';
  if (!(IMPLEMENTATIONS as readonly string[]).includes(requested))
    throw new AttentionValueError(
      OP,
      `implementation must be one of ${IMPLEMENTATIONS.join(', ')}, got ${String(requested)}`,
      'implementation',
      requested,
    );
  const scale = options.scale ?? 1 / Math.sqrt(d);
  if (typeof scale !== 'number' || !Number.isFinite(scale))
    throw new AttentionValueError(
      OP,
      `scale must be a finite number, got ${String(scale)}`,
      'scale',
      scale,
    );
  const dropout = options.dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1))
    throw new AttentionValueError(
      OP,
      `dropout must be in [0, 1), got ${String(dropout)}`,
      'dropout',
      dropout,
    );
  const seed = options.seed ?? (dropout > 0 ? defaultGenerator.nextUint32() : 0);
  if (typeof seed !== 'number' || !Number.isFinite(seed))
    throw new AttentionValueError(
      OP,
      `seed must be a finite number, got ${String(seed)}`,
      'seed',
      seed,
    );
  const mask = options.mask ? checkMask(options.mask, [B, H, N, M], qt.backend) : null;
  const pattern = options.sparse ?? null;
  if (pattern !== null) {
    if (
      typeof pattern.allows !== 'function' ||
      typeof pattern.keyRanges !== 'function' ||
      typeof pattern.covers !== 'function'
    )
      throw new AttentionValueError(
        OP,
        'sparse must be a pattern from slidingWindow, strided or blockSparse',
        'sparse',
        pattern,
      );
    pattern.validate(N, M, H);
  }
  const slopes = resolveSlopes(options.alibi, H);
  const block = options.blockSize;
  const blockQuery = positiveInteger(
    'blockSize.query',
    typeof block === 'number' ? block : (block?.query ?? pattern?.blockSize ?? DEFAULT_BLOCK_QUERY),
  );
  const blockKey = positiveInteger(
    'blockSize.key',
    typeof block === 'number' ? block : (block?.key ?? pattern?.blockSize ?? DEFAULT_BLOCK_KEY),
  );
  const chunkSize = positiveInteger('chunkSize', options.chunkSize ?? 64);
  const eps = options.eps ?? 1e-6;
  if (typeof eps !== 'number' || !(eps >= 0) || !Number.isFinite(eps))
    throw new AttentionValueError(
      OP,
      `eps must be a finite number >= 0, got ${String(eps)}`,
      'eps',
      eps,
    );
  const linearForm = options.linearForm ?? 'scan';
  if (linearForm !== 'scan' && linearForm !== 'chunked')
    throw new AttentionValueError(
      OP,
      `linearForm must be scan or chunked, got ${String(linearForm)}`,
      'linearForm',
      linearForm,
    );
  const featureMap = options.featureMap ?? 'elu';
  if (featureMap !== 'elu' && featureMap !== 'relu' && typeof featureMap !== 'function')
    throw new AttentionValueError(
      OP,
      `featureMap must be 'elu', 'relu' or a function, got ${String(featureMap)}`,
      'featureMap',
      featureMap,
    );

  let implementation: ResolvedCall['implementation'];
  if (requested === 'auto') implementation = pattern !== null ? 'sparse' : 'flash';
  else implementation = requested;
  if (implementation === 'sparse' && pattern === null)
    throw new AttentionValueError(
      OP,
      "implementation 'sparse' needs a pattern in options.sparse (slidingWindow, strided or blockSparse)",
      'sparse',
      null,
    );
  if (implementation === 'linear') {
    const unsupported = [
      mask && 'mask',
      slopes && 'alibi',
      dropout > 0 && 'dropout',
      pattern && 'sparse',
    ].filter(Boolean);
    if (unsupported.length > 0)
      throw new AttentionValueError(
        OP,
        `linear attention has no softmax to mask or bias; it does not support ${unsupported.join(', ')}`,
        String(unsupported[0]),
        true,
      );
  }
  if (options.checkFinite !== false) {
    checkFiniteValues('q', qt);
    checkFiniteValues('k', kt);
    checkFiniteValues('v', vt);
  }
  return {
    implementation,
    batch: B,
    heads: H,
    kvHeads: Hkv,
    queries: N,
    keys: M,
    headDim: d,
    valueDim: dv,
    dtype: qt.dtype as 'float32' | 'float64',
    scale,
    causal: options.causal === true,
    mask,
    dropout,
    seed: seed >>> 0,
    alibiSlopes: slopes,
    pattern,
    blockQuery,
    blockKey,
    featureMap,
    linearForm,
    chunkSize,
    eps,
  };
}
