/**
 * Exhaustive verification: every one of the 2^32 float32 bit patterns is
 * converted to float16, bfloat16, E4M3 and E5M2 by the package's bulk kernels
 * (WebAssembly SIMD and the TypeScript fallback, both) and compared with the
 * independent float64 oracle; then every 16-bit and 8-bit code is decoded and
 * compared. Work is split into chunks of 2^22 patterns (one sign, one
 * exponent each) over worker threads, one per core.
 *
 *   npm run verify -w @x/precision                  # everything, a few minutes on 2 cores
 *   npm run verify -w @x/precision -- --quick       # 1/256 of the patterns, strided; seconds
 *   options: --workers=N  --kernels=wasm,js  --modes=nearest,saturate-fp8 (default)
 *            modes: nearest, saturate-fp8, saturate, toward-zero, all
 *
 * Default checks per pattern: round-to-nearest-even to the four formats, and
 * E4M3 / E5M2 with `saturate`, each through both kernels (WebAssembly SIMD and
 * TypeScript). The last line of output is one JSON object with the headline
 * figures.
 */
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { type FormatName, formatToFloat32 } from '@x/precision';
import { oracleDecodePattern } from '@x/precision/test';
import {
  type Check,
  type ChunkResult,
  type ChunkTask,
  checkChunk,
  checkName,
} from './verify-chunk.js';

const FORMATS: readonly FormatName[] = ['float16', 'bfloat16', 'float8e4m3', 'float8e5m2'];
const CHUNK = 2 ** 22;

interface Settings {
  readonly quick: boolean;
  readonly workers: number;
  readonly kernels: ('js' | 'wasm')[];
  readonly checks: Check[];
}

const MODES = {
  // Round-to-nearest-even, the default of every conversion, for the four formats.
  nearest: FORMATS.map((format): Check => ({ format, rounding: 'nearest-even', saturate: false })),
  // Saturation inside the fp8 kernels (float16/bfloat16 saturate in a separate pass).
  'saturate-fp8': (['float8e4m3', 'float8e5m2'] as const).map(
    (format): Check => ({ format, rounding: 'nearest-even', saturate: true }),
  ),
  saturate: FORMATS.map((format): Check => ({ format, rounding: 'nearest-even', saturate: true })),
  'toward-zero': FORMATS.map(
    (format): Check => ({ format, rounding: 'toward-zero', saturate: false }),
  ),
} as const;

function parse(args: string[]): Settings {
  const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const modes = (option('modes') ?? 'nearest,saturate-fp8').split(',');
  const checks: Check[] = [];
  for (const mode of modes) {
    if (mode === 'all') checks.push(...MODES.nearest, ...MODES.saturate, ...MODES['toward-zero']);
    else if (Object.hasOwn(MODES, mode)) checks.push(...MODES[mode as keyof typeof MODES]);
    else throw new Error(`unknown mode ${mode}: use ${Object.keys(MODES).join(', ')} or all`);
  }
  return {
    quick: args.includes('--quick'),
    workers: Number(option('workers') ?? Math.max(1, Math.min(availableParallelism(), 16))),
    kernels: (option('kernels') ?? 'wasm,js').split(',') as ('js' | 'wasm')[],
    checks,
  };
}

function tasks(settings: Settings): ChunkTask[] {
  const list: ChunkTask[] = [];
  const stride = settings.quick ? 257 : 1; // quick: a strided 1/257 of each chunk
  const count = settings.quick ? Math.floor(CHUNK / stride) : CHUNK;
  for (let c = 0; c < 2 ** 32 / CHUNK; c++) {
    const base = c * CHUNK + (settings.quick ? c % stride : 0);
    list.push({ base, count, stride, checks: settings.checks, kernels: settings.kernels });
  }
  return list;
}

async function runWorkers(settings: Settings, work: ChunkTask[]): Promise<ChunkResult[]> {
  const results: ChunkResult[] = [];
  let next = 0;
  let done = 0;
  const start = performance.now();
  const boot = `import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(import.meta.url)});`;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(boot, { eval: true, workerData: { worker: true } });
      const send = () => {
        if (next < work.length) worker.postMessage(work[next++]);
        else void worker.terminate().then(() => resolve());
      };
      worker.on('message', (result: ChunkResult) => {
        results.push(result);
        done++;
        if (done % Math.max(1, Math.floor(work.length / 16)) === 0) {
          const seconds = (performance.now() - start) / 1000;
          console.log(`  ${done}/${work.length} chunks, ${seconds.toFixed(0)} s`);
        }
        send();
      });
      worker.on('error', reject);
      send();
    });
  await Promise.all(Array.from({ length: settings.workers }, one));
  return results;
}

function decodeAll(kernels: readonly ('js' | 'wasm')[]) {
  const report: Record<string, { checked: number; mismatches: number }> = {};
  for (const format of FORMATS) {
    const size = format === 'float16' || format === 'bfloat16' ? 65536 : 256;
    const codes = size === 65536 ? new Uint16Array(size) : new Uint8Array(size);
    for (let code = 0; code < size; code++) codes[code] = code;
    let mismatches = 0;
    for (const kernel of kernels) {
      const decoded = new Uint32Array(
        formatToFloat32(format, codes as never, undefined, { kernel }).buffer,
      );
      for (let code = 0; code < size; code++) {
        if (decoded[code] !== oracleDecodePattern(format, code)) mismatches++;
      }
    }
    report[format] = { checked: size, mismatches };
  }
  return report;
}

async function main(): Promise<void> {
  const settings = parse(process.argv.slice(2));
  const work = tasks(settings);
  const patterns = work.reduce((sum, t) => sum + t.count, 0);
  console.log(
    `verify: ${patterns} float32 patterns (${settings.quick ? 'quick, strided sample' : 'all 2^32'}), ` +
      `${settings.checks.length} conversions each, kernels ${settings.kernels.join('+')}, ${settings.workers} workers`,
  );
  const start = performance.now();
  const results = await runWorkers(settings, work);
  const encodeSeconds = (performance.now() - start) / 1000;
  const encode: Record<string, { checked: number; mismatches: number }> = {};
  settings.checks.forEach((check, k) => {
    const checked = results.reduce((sum, r) => sum + r.checked[k]!, 0);
    const mismatches = results.reduce((sum, r) => sum + r.mismatches[k]!, 0);
    encode[checkName(check)] = { checked, mismatches };
  });
  const examples = results.flatMap((r) => r.examples).slice(0, 20);
  const decode = decodeAll(settings.kernels);
  const seconds = (performance.now() - start) / 1000;
  console.log('\nfloat32 -> format (each pattern through every kernel):');
  for (const [name, r] of Object.entries(encode)) {
    console.log(
      `  ${name.padEnd(26)} ${String(r.checked).padStart(11)} patterns  ${r.mismatches} mismatches`,
    );
  }
  console.log('format -> float32 (every code):');
  for (const [name, r] of Object.entries(decode)) {
    console.log(
      `  ${name.padEnd(26)} ${String(r.checked).padStart(11)} codes     ${r.mismatches} mismatches`,
    );
  }
  for (const line of examples) console.log(`  mismatch ${line}`);
  const total = [...Object.values(encode), ...Object.values(decode)].reduce(
    (s, r) => s + r.mismatches,
    0,
  );
  console.log(
    `\n${total === 0 ? 'OK' : 'FAILED'}: ${total} mismatches in ${seconds.toFixed(1)} s (encode ${encodeSeconds.toFixed(1)} s)`,
  );
  console.log(
    JSON.stringify({
      verify: settings.quick ? 'quick' : 'exhaustive',
      patterns,
      kernels: settings.kernels,
      workers: settings.workers,
      seconds: Number(seconds.toFixed(1)),
      mismatches: total,
      encode,
      decode,
    }),
  );
  process.exitCode = total === 0 ? 0 : 1;
}

if (isMainThread) {
  await main();
} else if (workerData?.worker) {
  parentPort!.on('message', (task: ChunkTask) => parentPort!.postMessage(checkChunk(task)));
}
