/**
 * fp32 master weights behind fp16/bf16 model parameters (Micikevicius et al.
 * 2018, section 3.1), over typed arrays.
 *
 * The model computes with 16-bit parameters (`Uint16Array` storage); the
 * optimizer updates a float32 copy, so that updates smaller than half a
 * 16-bit ULP of the weight accumulate instead of rounding away; after each
 * update the copy is rounded back into the 16-bit storage.
 *
 * ```ts
 * const master = new MasterWeights(model.halfParams, { format: 'float16' });
 * // each iteration, after backward produced 16-bit gradients:
 * master.loadGrads(halfGrads);                      // decode into master.grads (fp32)
 * scaler.step(master.grads, () => sgd(master.params, master.grads));
 * master.syncToHalf();                              // round master.params into the model
 * scaler.update();
 * ```
 */
import { decodeArray, encodeArray } from './convert.js';
import { InvalidArgumentError, LengthMismatchError } from './errors.js';
import { type ConvertOptions, resolveOptions } from './options.js';
import type { RandomSource } from './random.js';

/** Options of {@link MasterWeights}. */
export interface MasterWeightsOptions {
  /** The format of the model's 16-bit parameters. @default 'float16' */
  format?: 'float16' | 'bfloat16';
  /**
   * How `syncToHalf` rounds: nearest-even, or stochastic (unbiased; with `seed` or
   * `random`, one draw per element per sync).
   * @default 'nearest-even'
   */
  rounding?: 'nearest-even' | 'stochastic';
  /** Seed of the stochastic rounding stream. */
  seed?: number;
  /** Random source of stochastic rounding (takes precedence over `seed`). */
  random?: RandomSource;
}

/**
 * float32 master copies of 16-bit parameters, with float32 gradient buffers.
 * @example
 * const half = [float32ToFloat16(new Float32Array([1, 2]))];
 * const master = new MasterWeights(half);
 * master.params[0]![0]! += 2 ** -12; // too small for float16 at 1.0 (ULP 2^-10)
 * master.syncToHalf();
 * fromFloat16Bits(half[0]![0]!) // 1
 * master.params[0]![0] // 1.000244140625 (kept in the master copy)
 */
export class MasterWeights {
  /** The format of the 16-bit storage. */
  readonly format: 'float16' | 'bfloat16';
  /** The model's 16-bit parameter storage, written by `syncToHalf`. */
  readonly half: readonly Uint16Array[];
  /** The float32 master parameters: the optimizer updates these. */
  readonly params: readonly Float32Array[];
  /** float32 gradient buffers, filled by `loadGrads` (or written directly). */
  readonly grads: readonly Float32Array[];
  private readonly convert: ConvertOptions;

  /**
   * @param half - the model's parameter storage, one Uint16Array per parameter
   * @param options - format and rounding of `syncToHalf`
   * @throws InvalidArgumentError when `half` is not an array of Uint16Array or an option is invalid
   */
  constructor(half: readonly Uint16Array[], options: MasterWeightsOptions = {}) {
    const op = 'MasterWeights';
    if (!Array.isArray(half) || !half.every((h) => h instanceof Uint16Array)) {
      throw new InvalidArgumentError(op, 'half', half, 'an array of Uint16Array');
    }
    const format = options.format ?? 'float16';
    if (format !== 'float16' && format !== 'bfloat16') {
      throw new InvalidArgumentError(op, 'format', format, "'float16' or 'bfloat16'");
    }
    const rounding = options.rounding ?? 'nearest-even';
    if (rounding !== 'nearest-even' && rounding !== 'stochastic') {
      throw new InvalidArgumentError(op, 'rounding', rounding, "'nearest-even' or 'stochastic'");
    }
    // Resolve once: a seed becomes one generator whose stream runs on across syncs.
    const resolved = resolveOptions(op, {
      rounding,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
    this.convert =
      resolved.random === undefined ? { rounding } : { rounding, random: resolved.random };
    this.format = format;
    this.half = [...half];
    this.params = half.map((h) => decodeArray(op, format, h, undefined, undefined));
    this.grads = half.map((h) => new Float32Array(h.length));
  }

  /**
   * Rounds float32 parameters into new 16-bit storage and wraps them.
   * @param params - float32 parameters (copied into the master copy exactly)
   * @param options - format and rounding
   * @returns the master weights; `half` holds the new 16-bit storage
   * @throws InvalidArgumentError when `params` is not an array of Float32Array
   * @example MasterWeights.fromFloat32([new Float32Array([0.1])]).half[0] // Uint16Array [11878]
   */
  static fromFloat32(
    params: readonly Float32Array[],
    options: MasterWeightsOptions = {},
  ): MasterWeights {
    const op = 'MasterWeights.fromFloat32';
    if (!Array.isArray(params) || !params.every((p) => p instanceof Float32Array)) {
      throw new InvalidArgumentError(op, 'params', params, 'an array of Float32Array');
    }
    const format = options.format ?? 'float16';
    const half = params.map((p) => encodeArray(op, format, p, undefined, undefined) as Uint16Array);
    const master = new MasterWeights(half, options);
    params.forEach((p, i) => master.params[i]!.set(p));
    return master;
  }

  /**
   * Decodes 16-bit gradients into the float32 `grads` buffers.
   * @param halfGrads - one Uint16Array per parameter, same lengths
   * @returns `grads`
   * @throws InvalidArgumentError when the count or types differ
   * @throws LengthMismatchError when a gradient's length differs from its parameter's
   */
  loadGrads(halfGrads: readonly Uint16Array[]): readonly Float32Array[] {
    const op = 'MasterWeights.loadGrads';
    if (!Array.isArray(halfGrads) || halfGrads.length !== this.half.length) {
      throw new InvalidArgumentError(
        op,
        'halfGrads',
        halfGrads,
        `an array of ${this.half.length} Uint16Array`,
      );
    }
    halfGrads.forEach((g, i) => {
      if (g.length !== this.grads[i]!.length) {
        throw new LengthMismatchError(op, `halfGrads[${i}]`, this.grads[i]!.length, g.length);
      }
      decodeArray(op, this.format, g, this.grads[i], undefined);
    });
    return this.grads;
  }

  /** Rounds the float32 master parameters into the 16-bit storage (after an optimizer step). */
  syncToHalf(): void {
    this.params.forEach((p, i) => {
      encodeArray('MasterWeights.syncToHalf', this.format, p, this.half[i], this.convert);
    });
  }

  /** Reloads the master parameters from the 16-bit storage (after loading a 16-bit checkpoint). */
  syncFromHalf(): void {
    this.half.forEach((h, i) => {
      decodeArray('MasterWeights.syncFromHalf', this.format, h, this.params[i], undefined);
    });
  }
}
