/**
 * The histogram of rounding error over an array: for each finite element x
 * whose rounded value y is finite, the signed error `(y - x) / ulpOf(x)` in
 * units of the target format's last place, binned over [-1, 1].
 *
 * What it shows: round-to-nearest-even stays within ±0.5 ULP with mean ≈ 0;
 * toward-zero spans (-1, 0] for positive inputs (a bias); stochastic rounding
 * spans (-1, 1) with mean ≈ 0 (unbiased: E[y] = x).
 */
import { decodeArray, encodeArray } from './convert.js';
import { spacing } from './error-stats.js';
import { InvalidArgumentError } from './errors.js';
import { FORMATS, type FormatName } from './formats.js';
import type { ConvertOptions, RoundingMode } from './options.js';
import { checkFormat } from './scalar.js';

/** The result of {@link roundingErrorHistogram}. */
export interface RoundingHistogram {
  /** The target format. */
  readonly format: FormatName;
  /** The rounding mode used. */
  readonly rounding: RoundingMode;
  /** Bin edges in ULPs, `bins + 1` values from -1 to 1. */
  readonly edges: Float64Array;
  /** Elements per bin; an error exactly on an inner edge goes to the bin above it, ±1 to the end bins. */
  readonly counts: Uint32Array;
  /** Elements counted. */
  readonly count: number;
  /** Elements skipped: non-finite inputs, or results that overflowed to infinity or NaN. */
  readonly skipped: number;
  /** Mean signed error in ULPs (the bias). */
  readonly mean: number;
  /** Mean absolute error in ULPs. */
  readonly meanAbs: number;
  /** Largest absolute error in ULPs. */
  readonly maxAbs: number;
}

/** Options of {@link roundingErrorHistogram}. */
export interface HistogramOptions extends ConvertOptions {
  /**
   * Number of bins over [-1, 1].
   * @default 20
   */
  bins?: number;
}

/**
 * Rounds `src` to `format` and histograms the error in ULPs.
 * @param src - the values
 * @param format - the target format
 * @param options - rounding options and the bin count
 * @returns the histogram and its moments
 * @throws InvalidArgumentError for an unknown format, a bad bin count, `src` not a
 * Float32Array or invalid rounding options
 * @example
 * const x = new Float32Array(10000).map((_, i) => 1 + i / 10000);
 * roundingErrorHistogram(x, 'float16').maxAbs // 0.4991455078125
 */
export function roundingErrorHistogram(
  src: Float32Array,
  format: FormatName,
  options: HistogramOptions = {},
): RoundingHistogram {
  const op = 'roundingErrorHistogram';
  const f = checkFormat(op, format);
  const bins = options.bins ?? 20;
  if (!Number.isInteger(bins) || bins < 1 || bins > 100000) {
    throw new InvalidArgumentError(op, 'bins', bins, 'an integer in [1, 100000]');
  }
  const { bins: _, ...convert } = options;
  const codes = encodeArray(op, f, src, undefined, convert);
  const rounded = decodeArray(op, f, codes, undefined, undefined);
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = -1 + (2 * b) / bins;
  const counts = new Uint32Array(bins);
  let count = 0;
  let skipped = 0;
  let sum = 0;
  let sumAbs = 0;
  let maxAbs = 0;
  const { mantissaBits, minExponent } = FORMATS[f];
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    const y = rounded[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      skipped++;
      continue;
    }
    const error = (y - x) / spacing(x, mantissaBits, minExponent);
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((error + 1) / 2) * bins)));
    counts[bin]!++;
    count++;
    sum += error;
    sumAbs += Math.abs(error);
    if (Math.abs(error) > maxAbs) maxAbs = Math.abs(error);
  }
  return {
    format: f,
    rounding: options.rounding ?? 'nearest-even',
    edges,
    counts,
    count,
    skipped,
    mean: count === 0 ? 0 : sum / count,
    meanAbs: count === 0 ? 0 : sumAbs / count,
    maxAbs,
  };
}

/**
 * Renders a histogram as text, one line per bin with a bar of `#`.
 * @param histogram - from {@link roundingErrorHistogram}
 * @param width - characters of the longest bar
 * @default width 40
 * @returns the lines joined with newlines
 * @example console.log(formatHistogram(roundingErrorHistogram(x, 'float16')))
 */
export function formatHistogram(histogram: RoundingHistogram, width = 40): string {
  const peak = Math.max(1, ...histogram.counts);
  const lines = [
    `${histogram.format} ${histogram.rounding}: ${histogram.count} values, mean ${histogram.mean.toFixed(4)} ulp, mean |e| ${histogram.meanAbs.toFixed(4)} ulp, max |e| ${histogram.maxAbs.toFixed(4)} ulp`,
  ];
  for (let b = 0; b < histogram.counts.length; b++) {
    const low = histogram.edges[b]!.toFixed(2).padStart(5);
    const high = histogram.edges[b + 1]!.toFixed(2).padStart(5);
    const n = histogram.counts[b]!;
    lines.push(
      `[${low}, ${high}) ${String(n).padStart(9)} ${'#'.repeat(Math.round((n / peak) * width))}`,
    );
  }
  return lines.join('\n');
}
