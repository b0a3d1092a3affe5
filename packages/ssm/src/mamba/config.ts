/**
 * Configuration of the Mamba block with the reference defaults
 * (state-spaces/mamba `mamba_ssm/modules/mamba_simple.py`, class `Mamba`):
 * d_state 16, d_conv 4, expand 2, dt_rank = ceil(d_model / 16), dt_min 0.001,
 * dt_max 0.1, dt_init "random", dt_scale 1, dt_init_floor 1e-4, conv_bias
 * true, bias false; and the initializers of `dt_proj` and `A_log`.
 */
import type { Generator } from '@x/tensor';
import { SsmValueError } from '../errors.js';
import { checkFinite, checkInteger, checkOneOf } from '../validate.js';

/** How the block computes its selective scan over a sequence. */
export type ScanImplementation = 'sequential' | 'parallel';

/** Options of `Mamba` (names follow the reference, camel-cased). */
export interface MambaOptions {
  /** N, the SSM state size per channel (`d_state`). @default 16 */
  dState?: number;
  /** Width of the causal depthwise convolution (`d_conv`). @default 4 */
  dConv?: number;
  /** d_inner = expand * d_model. @default 2 */
  expand?: number;
  /** Rank of the delta projection (`dt_rank`). @default ceil(d_model / 16) */
  dtRank?: number;
  /** Smallest initial step. @default 0.001 */
  dtMin?: number;
  /** Largest initial step. @default 0.1 */
  dtMax?: number;
  /** `dt_proj.weight` initialization. @default 'random' */
  dtInit?: 'random' | 'constant';
  /** Scale of the `dt_proj.weight` initialization. @default 1 */
  dtScale?: number;
  /** Lower clamp of the initial steps. @default 1e-4 */
  dtInitFloor?: number;
  /** Bias in the causal conv (`conv_bias`). @default true */
  convBias?: boolean;
  /** Bias in `in_proj` and `out_proj` (`bias`). @default false */
  bias?: boolean;
  /** Selective scan used by `forward`: the fused sequential op or the chunked parallel scan. @default 'sequential' */
  scan?: ScanImplementation;
  /** Chunk size of the parallel scan. @default 64 */
  chunkSize?: number;
  /** Seed of the initial weights. @default 0 */
  seed?: number;
  /** Parameter dtype. @default 'float32' */
  dtype?: 'float32' | 'float64';
}

/** Options with every default filled in. */
export type ResolvedMambaOptions = Required<MambaOptions> & { dModel: number; dInner: number };

/**
 * Fills in the reference defaults and validates.
 * @param dModel - the model width
 * @param options - overrides
 * @returns the resolved configuration
 * @throws SsmValueError for a non-positive size, a bad step range or an unknown option value
 */
export function resolveMambaOptions(
  dModel: number,
  options: MambaOptions = {},
): ResolvedMambaOptions {
  const op = 'Mamba';
  checkInteger(op, 'dModel', dModel);
  const expand = checkFinite(op, 'expand', options.expand ?? 2, true);
  const dInner = Math.round(expand * dModel);
  checkInteger(op, 'dInner (expand * dModel)', dInner);
  const resolved: ResolvedMambaOptions = {
    dModel,
    dInner,
    dState: checkInteger(op, 'dState', options.dState ?? 16),
    dConv: checkInteger(op, 'dConv', options.dConv ?? 4),
    expand,
    dtRank: checkInteger(op, 'dtRank', options.dtRank ?? Math.ceil(dModel / 16)),
    dtMin: checkFinite(op, 'dtMin', options.dtMin ?? 0.001, true),
    dtMax: checkFinite(op, 'dtMax', options.dtMax ?? 0.1, true),
    dtInit: checkOneOf(op, 'dtInit', options.dtInit ?? 'random', ['random', 'constant']),
    dtScale: checkFinite(op, 'dtScale', options.dtScale ?? 1, true),
    dtInitFloor: checkFinite(op, 'dtInitFloor', options.dtInitFloor ?? 1e-4, true),
    convBias: options.convBias ?? true,
    bias: options.bias ?? false,
    scan: checkOneOf(op, 'scan', options.scan ?? 'sequential', ['sequential', 'parallel']),
    chunkSize: checkInteger(op, 'chunkSize', options.chunkSize ?? 64),
    seed: options.seed ?? 0,
    dtype: options.dtype ?? 'float32',
  };
  if (resolved.dtMin > resolved.dtMax)
    throw new SsmValueError(
      op,
      'dtMin',
      `dtMin ${resolved.dtMin} exceeds dtMax ${resolved.dtMax}`,
      resolved.dtMin,
    );
  return resolved;
}

/**
 * The reference `dt_proj` initialization: weight U(-s, s) with s = dt_rank^-0.5 * dt_scale
 * (or constant s), bias = softplus^{-1}(dt) for dt log-uniform in [dt_min, dt_max]
 * clamped below at dt_init_floor, so softplus(bias) starts in that range.
 * @param config - the resolved options
 * @param generator - random source
 * @returns weight `[d_inner * dt_rank]` (row-major [d_inner, dt_rank]) and bias `[d_inner]`
 */
export function dtProjInit(
  config: ResolvedMambaOptions,
  generator: Generator,
): { weight: Float64Array; bias: Float64Array } {
  const std = config.dtRank ** -0.5 * config.dtScale;
  const weight = Float64Array.from({ length: config.dInner * config.dtRank }, () =>
    config.dtInit === 'constant' ? std : (2 * generator.uniform() - 1) * std,
  );
  const logMin = Math.log(config.dtMin);
  const logMax = Math.log(config.dtMax);
  const bias = Float64Array.from({ length: config.dInner }, () => {
    const dt = Math.max(
      Math.exp(logMin + generator.uniform() * (logMax - logMin)),
      config.dtInitFloor,
    );
    return dt + Math.log(-Math.expm1(-dt)); // inverse of softplus
  });
  return { weight, bias };
}

/**
 * The reference `A_log` initialization: A = -(1, 2, ..., d_state) in every channel (S4D-Real), stored as log.
 * @param dInner - channels
 * @param dState - N
 * @returns `[d_inner * d_state]` values log(n + 1)
 */
export function aLogInit(dInner: number, dState: number): Float64Array {
  return Float64Array.from({ length: dInner * dState }, (_, i) => Math.log((i % dState) + 1));
}
