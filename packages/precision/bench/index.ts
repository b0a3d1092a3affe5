/**
 * Bulk conversion speed: float32 -> format and back on 16M elements, for the
 * four formats. After karpathy/llm.c `dev/cuda`: version 0 is the plain
 * JavaScript loop (`reference.ts`), then the package's kernels — 1: the
 * branch-free TypeScript loop, 2: WebAssembly SIMD (what `kernel: 'auto'`
 * runs) — and, for float16, the peer library @petamoriken/float16 in the same
 * process. Every version is checked against the package's output before it
 * is timed. Throughput is the best of several runs, in elements per second.
 *
 *   npm run bench -w @x/precision              # 16M elements
 *   npm run bench -w @x/precision -- --quick   # 1M elements, fewer runs
 *
 * The last line is one JSON object with the headline figures.
 */
import { Float16Array } from '@petamoriken/float16';
import { type FormatName, float32ToFormat, formatToFloat32, Xoshiro128 } from '@x/precision';
import { REFERENCE } from './reference.js';

const quick = process.argv.includes('--quick');
const N = quick ? 1 << 20 : 1 << 24;
const RUNS = quick ? 3 : 5;

/** Seeded N(0, 1) data (Box-Muller), like weights or activations. */
function gaussian(n: number, seed: number): Float32Array {
  const random = new Xoshiro128(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - random.nextFloat()));
    const theta = 2 * Math.PI * random.nextFloat();
    out[i] = r * Math.cos(theta);
    if (i + 1 < n) out[i + 1] = r * Math.sin(theta);
  }
  return out;
}

/** Best-of-`runs` elements per second (after one warm-up run). */
function throughput(run: () => void, runs = RUNS): number {
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    run();
    best = Math.min(best, performance.now() - start);
  }
  return N / (best / 1000);
}

function sameCodes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return a.length === b.length;
}

function sameValues(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return a.length === b.length;
}

interface Row {
  readonly name: string;
  readonly encode: number;
  readonly decode: number;
}

const mega = (x: number) => (x / 1e6).toFixed(1).padStart(8);

function benchFormat(format: FormatName, src: Float32Array): Row[] {
  const wide = format === 'float16' || format === 'bfloat16';
  const codes = () => (wide ? new Uint16Array(N) : new Uint8Array(N));
  const expected = float32ToFormat(format, src, undefined, { kernel: 'js' });
  const expectedBack = formatToFloat32(format, expected, undefined, { kernel: 'js' });
  const rows: Row[] = [];
  const check = (name: string, encoded: ArrayLike<number>, decoded: Float32Array) => {
    if (!sameCodes(encoded, expected))
      throw new Error(`${format} ${name}: encode disagrees with the package`);
    if (!sameValues(decoded, expectedBack))
      throw new Error(`${format} ${name}: decode disagrees with the package`);
  };
  // 0: the plain loop.
  {
    const reference = REFERENCE[format] as {
      encode: (s: Float32Array, d: Uint16Array | Uint8Array) => void;
      decode: (s: Uint16Array | Uint8Array, d: Float32Array) => void;
    };
    const dst = codes();
    const back = new Float32Array(N);
    reference.encode(src, dst);
    reference.decode(expected, back);
    check('reference', dst, back);
    rows.push({
      name: '0 plain JS loop',
      encode: throughput(() => reference.encode(src, dst)),
      decode: throughput(() => reference.decode(expected, back)),
    });
  }
  // 1, 2: the package's kernels.
  for (const [name, kernel] of [
    ['1 @x/precision, TypeScript', 'js'],
    ['2 @x/precision, WebAssembly SIMD', 'wasm'],
  ] as const) {
    const dst = codes();
    const back = new Float32Array(N);
    float32ToFormat(format, src, dst as never, { kernel });
    formatToFloat32(format, expected, back, { kernel });
    check(name, dst, back);
    rows.push({
      name,
      encode: throughput(() => float32ToFormat(format, src, dst as never, { kernel })),
      decode: throughput(() => formatToFloat32(format, expected, back, { kernel })),
    });
  }
  if (format === 'float16') {
    // The peer: @petamoriken/float16's Float16Array (a Proxy over a Uint16Array).
    const half = new Float16Array(N);
    const back = new Float32Array(N);
    // Its fastest paths measured here: set() from a Float32Array to encode, and the
    // iterator (7x faster than indexed reads through the Proxy) to decode.
    const decode = () => {
      let i = 0;
      for (const value of half) back[i++] = value;
    };
    half.set(src);
    decode();
    check('peer', new Uint16Array(half.buffer), back);
    rows.push({
      name: 'peer @petamoriken/float16',
      encode: throughput(() => half.set(src)),
      decode: throughput(decode, 2),
    });
  }
  return rows;
}

console.log(
  `bulk conversion, ${N} elements of N(0, 1) float32, best of ${RUNS} runs, Node ${process.version}`,
);
const src = gaussian(N, 1);
const summary: Record<string, Record<string, number>> = {};
for (const format of ['float16', 'bfloat16', 'float8e4m3', 'float8e5m2'] as const) {
  const rows = benchFormat(format, src);
  const baseline = rows.find((r) => r.name.startsWith('peer')) ?? rows[0]!;
  const best = rows.find((r) => r.name.startsWith('2'))!;
  console.log(`\n${format}: M elements/s (ratio to ${baseline.name})`);
  console.log(
    `  ${'version'.padEnd(34)} ${'encode'.padStart(8)} ${'ratio'.padStart(7)} ${'decode'.padStart(8)} ${'ratio'.padStart(7)}`,
  );
  for (const row of rows) {
    const encodeRatio = (row.encode / baseline.encode).toFixed(2).padStart(7);
    const decodeRatio = (row.decode / baseline.decode).toFixed(2).padStart(7);
    console.log(
      `  ${row.name.padEnd(34)} ${mega(row.encode)} ${encodeRatio} ${mega(row.decode)} ${decodeRatio}`,
    );
  }
  const reference = rows[0]!;
  summary[format] = {
    encodePerSecond: Math.round(best.encode),
    decodePerSecond: Math.round(best.decode),
    referenceEncodePerSecond: Math.round(reference.encode),
    referenceDecodePerSecond: Math.round(reference.decode),
    encodeVsReference: Number((best.encode / reference.encode).toFixed(2)),
    decodeVsReference: Number((best.decode / reference.decode).toFixed(2)),
  };
  if (baseline !== reference) {
    Object.assign(summary[format]!, {
      peerEncodePerSecond: Math.round(baseline.encode),
      peerDecodePerSecond: Math.round(baseline.decode),
      encodeVsPeer: Number((best.encode / baseline.encode).toFixed(2)),
      decodeVsPeer: Number((best.decode / baseline.decode).toFixed(2)),
    });
  }
}
const f16 = summary.float16!;
const goals = {
  encodeAtLeast3xPeer: f16.encodeVsPeer! >= 3,
  decodeAtLeast20xPeer: f16.decodeVsPeer! >= 20,
};
console.log(
  `\ngoals (float16 vs @petamoriken/float16): encode >= 3x: ${goals.encodeAtLeast3xPeer}, decode >= 20x: ${goals.decodeAtLeast20xPeer}`,
);
console.log(
  JSON.stringify({
    bench: quick ? 'quick' : 'full',
    elements: N,
    node: process.version,
    ...summary,
    goals,
  }),
);
