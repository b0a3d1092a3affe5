/**
 * The options shared by every conversion to a narrower format, and their
 * validation (done once per call, at the API boundary).
 */
import { InvalidArgumentError } from './errors.js';
import { type RandomSource, Xoshiro128 } from './random.js';

/**
 * How a value between two representable neighbours is rounded.
 * - `'nearest-even'`: IEEE 754 roundTiesToEven, the default everywhere.
 * - `'toward-zero'`: IEEE roundTowardZero (truncation); finite values never overflow to
 *   infinity, they stop at the largest finite value.
 * - `'stochastic'`: round up with probability equal to the distance from the lower
 *   neighbour in units of the gap (unbiased in expectation); see {@link ConvertOptions.random}.
 */
export type RoundingMode = 'nearest-even' | 'toward-zero' | 'stochastic';

/**
 * Every rounding mode.
 * @example ROUNDING_MODES.includes('stochastic') // true
 */
export const ROUNDING_MODES = [
  'nearest-even',
  'toward-zero',
  'stochastic',
] as const satisfies readonly RoundingMode[];

/** Which implementation a bulk conversion runs: picked automatically, or forced. */
export type KernelChoice = 'auto' | 'js' | 'wasm';

/** Options of the conversions from float32 (or a JS number) to a narrower format. */
export interface ConvertOptions {
  /**
   * The rounding mode.
   * @default 'nearest-even'
   */
  rounding?: RoundingMode;
  /**
   * When true, values beyond the largest finite value (infinities included) become
   * the largest finite value of the same sign, as ONNX `Cast(saturate=1)` and CUDA's
   * `__NV_SATFINITE` do; NaN stays NaN. When false, overflow gives infinity
   * (float16, bfloat16, E5M2) or NaN (E4M3, which has no infinity), as IEEE 754 and
   * PyTorch's `float8_e4m3fn` do.
   * @default false
   */
  saturate?: boolean;
  /**
   * The source of random bits for `'stochastic'` rounding; each converted element
   * draws exactly one `nextUint32()`, in element order, so a stream is reproducible.
   * Takes precedence over `seed`.
   */
  random?: RandomSource;
  /** For `'stochastic'` rounding without `random`: the seed of a fresh {@link Xoshiro128}. */
  seed?: number;
  /**
   * Bulk conversions only: `'auto'` picks WebAssembly SIMD where it exists and pays,
   * `'js'` forces the portable TypeScript kernel, `'wasm'` forces WebAssembly. Applies to
   * nearest-even encoding and to decoding; toward-zero and stochastic rounding always
   * run the TypeScript kernel.
   * @default 'auto'
   */
  kernel?: KernelChoice;
}

/** Options after validation. */
export interface ResolvedOptions {
  readonly rounding: RoundingMode;
  readonly saturate: boolean;
  /** Present exactly when `rounding` is `'stochastic'`. */
  readonly random: RandomSource | undefined;
  readonly kernel: KernelChoice;
}

const DEFAULTS: ResolvedOptions = {
  rounding: 'nearest-even',
  saturate: false,
  random: undefined,
  kernel: 'auto',
};

/**
 * Validates the options of a conversion.
 * @param op - the calling function, for error messages
 * @param options - what the caller passed
 * @returns the options with defaults filled in
 * @throws InvalidArgumentError for an unknown rounding mode or kernel, a non-boolean
 * `saturate`, or stochastic rounding without `random` or `seed`
 */
export function resolveOptions(op: string, options: ConvertOptions | undefined): ResolvedOptions {
  if (options === undefined) return DEFAULTS;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(op, 'options', options, 'an object');
  }
  const rounding = options.rounding ?? 'nearest-even';
  if (!(ROUNDING_MODES as readonly string[]).includes(rounding)) {
    throw new InvalidArgumentError(op, 'rounding', rounding, `one of ${ROUNDING_MODES.join(', ')}`);
  }
  const saturate = options.saturate ?? false;
  if (typeof saturate !== 'boolean') {
    throw new InvalidArgumentError(op, 'saturate', saturate, 'a boolean');
  }
  const kernel = options.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'js' && kernel !== 'wasm') {
    throw new InvalidArgumentError(op, 'kernel', kernel, "'auto', 'js' or 'wasm'");
  }
  let random: RandomSource | undefined;
  if (rounding === 'stochastic') {
    if (options.random !== undefined) {
      if (typeof options.random?.nextUint32 !== 'function') {
        throw new InvalidArgumentError(op, 'random', options.random, 'an object with nextUint32()');
      }
      random = options.random;
    } else if (options.seed !== undefined) {
      if (!Number.isSafeInteger(options.seed)) {
        throw new InvalidArgumentError(op, 'seed', options.seed, 'a safe integer');
      }
      random = new Xoshiro128(options.seed);
    } else {
      throw new InvalidArgumentError(
        op,
        'random',
        undefined,
        "a RandomSource or a seed when rounding is 'stochastic'",
      );
    }
  }
  return { rounding, saturate, random, kernel };
}
