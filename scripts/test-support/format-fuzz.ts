/**
 * Test support: a fuzz harness for persisted formats (issue 19). From one
 * valid file it makes truncations at every 1/64 of its length and seeded
 * random byte flips (1 to 4 bytes set to other values), optionally
 * "resealed" by a format-specific function (length and checksum rewritten),
 * so the decoder's structural checks behind the checksum are reached too.
 * Each case must end in a named error of the package, or, where the bytes
 * still form a valid file, pass the caller's check that the result is what
 * the bytes say; every case must finish within a time limit. The case count
 * scales with the environment variable `X_FUZZ_SCALE` (`npm run fuzz` sets 20).
 */

/** One mutated file. */
export interface FuzzCase {
  /** How it was made: `truncate 17/64 (1234 bytes)`, `flip 3 bytes @812,900,1001`. */
  name: string;
  bytes: Uint8Array;
  /** Whether it was resealed after the mutation. */
  resealed: boolean;
}

/** Options of {@link fuzzCases}. */
export interface FuzzOptions {
  /** PRNG seed. */
  seed: number;
  /** Random flip cases at scale 1. */
  flips: number;
  /** Makes a mutated file pass length and checksum checks again; flip cases are run both raw and resealed. */
  reseal?: (bytes: Uint8Array) => Uint8Array;
  /** First byte flips may touch (for example past a fixed header), default 0. */
  from?: number;
}

/** The scale factor `X_FUZZ_SCALE` asks for (1 when unset). */
export function fuzzScale(): number {
  const scale = Number(process.env.X_FUZZ_SCALE ?? '1');
  return Number.isFinite(scale) && scale >= 1 ? Math.floor(scale) : 1;
}

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The truncation and flip cases of one valid file.
 * @param original - a valid file
 * @param options - seed, flip count, reseal
 * @returns the cases (truncations first)
 * @example
 * ```ts
 * fuzzCases(index.save(), { seed: 1, flips: 500 }).length; // 64 + 500
 * ```
 */
export function fuzzCases(original: Uint8Array, options: FuzzOptions): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (let i = 0; i < 64; i++) {
    const length = Math.floor((original.length * i) / 64);
    cases.push({
      name: `truncate ${i}/64 (${length} of ${original.length} bytes)`,
      bytes: original.slice(0, length),
      resealed: false,
    });
  }
  const random = mulberry32(options.seed);
  const from = options.from ?? 0;
  const count = options.flips * fuzzScale();
  for (let c = 0; c < count; c++) {
    const bytes = original.slice();
    const flips = 1 + Math.floor(random() * 4);
    const at: number[] = [];
    for (let f = 0; f < flips; f++) {
      const position = from + Math.floor(random() * (bytes.length - from));
      bytes[position] = (bytes[position]! + 1 + Math.floor(random() * 255)) & 0xff;
      at.push(position);
    }
    const name = `flip ${flips} byte${flips > 1 ? 's' : ''} @${at.join(',')}`;
    cases.push({ name, bytes, resealed: false });
    if (options.reseal)
      cases.push({ name: `${name}, resealed`, bytes: options.reseal(bytes), resealed: true });
  }
  return cases;
}

/** What a fuzz run found. */
export interface FuzzReport {
  cases: number;
  namedErrors: number;
  loaded: number;
  milliseconds: number;
  slowestMilliseconds: number;
  /** Cases that threw something other than a named error, failed the check, or ran too long. */
  failures: string[];
}

/**
 * Runs every case: decode, then classify.
 * @param cases - from {@link fuzzCases}
 * @param decode - loads bytes (throws for bad input)
 * @param isNamedError - whether a thrown value is the package's named error
 * @param check - for cases that load: throws when the result is not what the bytes say
 * @param limitMilliseconds - the most one case may take
 * @returns counts, time and failures (the first 20)
 */
export function runFuzz<T>(
  cases: readonly FuzzCase[],
  decode: (bytes: Uint8Array) => T,
  isNamedError: (error: unknown) => boolean,
  check: (result: T, fuzzCase: FuzzCase) => void,
  limitMilliseconds = 1000,
): FuzzReport {
  const report: FuzzReport = {
    cases: cases.length,
    namedErrors: 0,
    loaded: 0,
    milliseconds: 0,
    slowestMilliseconds: 0,
    failures: [],
  };
  const started = performance.now();
  for (const fuzzCase of cases) {
    const start = performance.now();
    let failure: string | null = null;
    try {
      const result = decode(fuzzCase.bytes);
      report.loaded++;
      check(result, fuzzCase);
    } catch (error) {
      if (isNamedError(error)) report.namedErrors++;
      else
        failure = `${fuzzCase.name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    }
    const elapsed = performance.now() - start;
    report.slowestMilliseconds = Math.max(report.slowestMilliseconds, elapsed);
    if (elapsed > limitMilliseconds) failure = `${fuzzCase.name}: took ${elapsed.toFixed(0)} ms`;
    if (failure && report.failures.length < 20) report.failures.push(failure);
  }
  report.milliseconds = performance.now() - started;
  return report;
}

/**
 * One line for the test log.
 * @param format - the format's name
 * @param report - the run's report
 * @returns for example `snapshot fuzz: 2064 cases (1990 named errors, 74 loaded) in 812 ms, slowest 9.1 ms`
 */
export function describeFuzz(format: string, report: FuzzReport): string {
  return `${format} fuzz: ${report.cases} cases (${report.namedErrors} named errors, ${report.loaded} loaded and checked) in ${report.milliseconds.toFixed(0)} ms, slowest ${report.slowestMilliseconds.toFixed(1)} ms`;
}
