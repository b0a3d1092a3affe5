/**
 * One unit of work of `verify.ts`: convert a run of float32 bit patterns that
 * share one sign and one exponent (so one quantum per format) with the
 * package's bulk kernels, and compare every result with the float64 oracle of
 * `src/test/oracle.ts`.
 *
 * The comparison is by value: the oracle rounds the pattern's value
 * (`significand * 2^(exponent - 150)`, exact in float64) to a float64 result;
 * the kernel's code must have the input's sign and decode (through a table
 * built by the oracle's own field arithmetic) to exactly that result. NaN
 * results are compared as codes against the NaN policy.
 */
import { float32ToFormat } from '@x/precision';
import {
  applyOverflow,
  formatValue,
  nanCodeOf,
  ORACLE_SPECS,
  oracleEncodePattern,
  quantumOf,
  roundUnbounded,
} from '@x/precision/test';

/** The storage formats (the package's `FormatName`). */
export type Format = 'float16' | 'bfloat16' | 'float8e4m3' | 'float8e5m2';

/** One conversion to check: a format with its options. */
export interface Check {
  readonly format: Format;
  readonly rounding: 'nearest-even' | 'toward-zero';
  readonly saturate: boolean;
}

/** A chunk: `count` patterns `base + i * stride`, all with the same sign and exponent. */
export interface ChunkTask {
  readonly base: number;
  readonly count: number;
  readonly stride: number;
  readonly checks: readonly Check[];
  readonly kernels: readonly ('js' | 'wasm')[];
}

/** Per check: patterns compared and mismatches (summed over kernels), plus a few examples. */
export interface ChunkResult {
  readonly checked: number[];
  readonly mismatches: number[];
  readonly examples: string[];
}

/** The name a check is reported under, e.g. `float8e4m3 saturate`. */
export function checkName(check: Check): string {
  const parts: string[] = [check.format];
  if (check.rounding !== 'nearest-even') parts.push(check.rounding);
  if (check.saturate) parts.push('saturate');
  return parts.join(' ');
}

const magnitudeTables = new Map<Format, Float64Array>();

/** The oracle's value of every non-negative code of a format. */
function magnitudes(format: Format): Float64Array {
  let table = magnitudeTables.get(format);
  if (table === undefined) {
    const half = 2 ** (ORACLE_SPECS[format].bits - 1);
    table = new Float64Array(half);
    for (let code = 0; code < half; code++) table[code] = formatValue(format, code);
    magnitudeTables.set(format, table);
  }
  return table;
}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;

/** Patterns per block: every array of a block stays in the CPU caches. */
const BLOCK = 16384;

/** Scratch arrays reused from block to block. */
const scratch = {
  input: new Uint32Array(BLOCK),
  codes: new Uint32Array(BLOCK),
  expectedCode: new Int32Array(BLOCK),
  expectedValue: new Float64Array(BLOCK),
  out16: new Uint16Array(BLOCK),
  out8: new Uint8Array(BLOCK),
};

/** Step-one results of the oracle, one array per (format, rounding) pair in use. */
const unboundedArrays = Array.from({ length: 8 }, () => new Float64Array(BLOCK));

/** Where a block of patterns sits: all share one sign and one exponent field. */
interface Block {
  readonly negative: boolean;
  readonly field: number;
  /** The value of pattern `i` of the block is `(significand0 + i * stride) * unit`, exactly. */
  readonly significand0: number;
  readonly stride: number;
  readonly unit: number;
  readonly n: number;
}

/**
 * Fills `expectedCode` / `expectedValue` with the oracle's verdict for every pattern
 * of the block: a code where the result is NaN or the input is Inf/NaN (compared as a
 * code), else -1 and the rounded value (compared by value and sign).
 */
function oracleBlock(
  check: Check,
  block: Block,
  input: Uint32Array,
  unbounded: Float64Array,
): void {
  const { format, rounding, saturate } = check;
  const { expectedCode, expectedValue } = scratch;
  const { negative, field, n } = block;
  if (field === 255) {
    for (let i = 0; i < n; i++) {
      expectedCode[i] = oracleEncodePattern(format, input[i]!, { rounding, saturate });
    }
    return;
  }
  const spec = ORACLE_SPECS[format];
  const overflowNaN = nanCodeOf(format, negative ? 0xffc00000 : 0x7fc00000);
  for (let i = 0; i < n; i++) {
    const y = applyOverflow(spec, unbounded[i]!, rounding, saturate);
    expectedCode[i] = Number.isNaN(y) ? overflowNaN : -1;
    expectedValue[i] = y;
  }
}

/**
 * Step one of the oracle for every pattern of the block (shared by the checks
 * that differ only in saturation).
 */
function unboundedBlock(
  format: Format,
  rounding: Check['rounding'],
  block: Block,
  out: Float64Array,
) {
  const { field, significand0, stride, unit, n } = block;
  const quantum = quantumOf(format, field === 0 ? 2 ** -149 : 2 ** (field - 127));
  for (let i = 0; i < n; i++) {
    out[i] = roundUnbounded((significand0 + i * stride) * unit, quantum, rounding, 0);
  }
}

/** Counts the codes that disagree with the oracle's verdict. */
function compareBlock(
  codes: Uint32Array,
  n: number,
  signBit: number,
  expectedSign: number,
  table: Float64Array,
): number {
  const { expectedCode, expectedValue } = scratch;
  const mask = signBit - 1;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    const wanted = expectedCode[i]!;
    if (wanted >= 0) {
      if (code !== wanted) bad++;
    } else if ((code & signBit) !== expectedSign || table[code & mask] !== expectedValue[i]) {
      bad++;
    }
  }
  return bad;
}

/** Describes the first mismatches of a block, for the report. */
function describeMismatches(
  check: Check,
  kernel: string,
  block: Block,
  input: Uint32Array,
  out: string[],
) {
  const { expectedCode, expectedValue, codes } = scratch;
  const signBit = 2 ** (ORACLE_SPECS[check.format].bits - 1);
  const table = magnitudes(check.format);
  for (let i = 0; i < block.n && out.length < 10; i++) {
    const code = codes[i]!;
    const wanted = expectedCode[i]!;
    const sign = block.negative ? signBit : 0;
    const ok =
      wanted >= 0
        ? code === wanted
        : (code & signBit) === sign && table[code & (signBit - 1)] === expectedValue[i];
    if (!ok) {
      const oracle = wanted >= 0 ? hex(wanted) : `${block.negative ? '-' : ''}${expectedValue[i]}`;
      out.push(
        `${checkName(check)} (${kernel}): ${hex(input[i]!)} gave ${hex(code)}, oracle ${oracle}`,
      );
    }
  }
}

/**
 * Converts and checks one chunk, block by block.
 * @param task - the patterns and the checks
 * @returns the counts
 */
export function checkChunk(task: ChunkTask): ChunkResult {
  const { base, count, stride, checks } = task;
  const { input, codes } = scratch;
  const field = Math.floor(base / 2 ** 23) % 256;
  const result: ChunkResult = {
    checked: checks.map(() => count),
    mismatches: checks.map(() => 0),
    examples: [],
  };
  for (let start = 0; start < count; start += BLOCK) {
    const n = Math.min(BLOCK, count - start);
    const first = base + start * stride;
    for (let i = 0; i < n; i++) input[i] = first + i * stride;
    const values = new Float32Array(input.buffer, 0, n);
    const fraction = first % 2 ** 23;
    const block: Block = {
      negative: base >= 0x80000000,
      field,
      significand0: field === 0 ? fraction : 2 ** 23 + fraction,
      stride,
      unit: 2 ** (Math.max(field, 1) - 150),
      n,
    };
    const unboundedByKey = new Map<string, Float64Array>();
    for (let k = 0; k < checks.length; k++) {
      const check = checks[k]!;
      const { format, rounding, saturate } = check;
      const key = `${format} ${rounding}`;
      let unbounded = unboundedByKey.get(key);
      if (unbounded === undefined) {
        unbounded = unboundedArrays[unboundedByKey.size]!;
        if (field !== 255) unboundedBlock(format, rounding, block, unbounded);
        unboundedByKey.set(key, unbounded);
      }
      oracleBlock(check, block, input, unbounded);
      const signBit = 2 ** (ORACLE_SPECS[format].bits - 1);
      const table = magnitudes(format);
      const dst = signBit === 0x8000 ? scratch.out16.subarray(0, n) : scratch.out8.subarray(0, n);
      const kernels = rounding === 'nearest-even' ? task.kernels : (['js'] as const);
      for (const kernel of kernels) {
        codes.set(float32ToFormat(format, values, dst as never, { kernel, rounding, saturate }));
        const bad = compareBlock(codes, n, signBit, block.negative ? signBit : 0, table);
        if (bad > 0) {
          result.mismatches[k]! += bad;
          describeMismatches(check, kernel, block, input, result.examples);
        }
      }
    }
  }
  return result;
}
