/**
 * `npm run bench:decode -w @x/lm`: decode speed on the CPU, ours against
 * llama.cpp and onnxruntime on the same weights, in one run that ends with
 * one JSON line:
 *
 * 1. the machine's streaming read bandwidth (a wasm SIMD sum over 512 MB,
 *    bench/bandwidth.ts) on 1 and 2 threads;
 * 2. time(M rows) / time(1 row) for M = 1, 2, 4, 8, 16 at K x N = 768 x 3072
 *    (a Conv1D weight, [K, N]) and 768 x 50257 (the GPT-2 head, a transposed
 *    [N, K] view, as the model multiplies it) of @x/tensor's matmul and of
 *    `project` on the weight packed once in f32 and in int8 (groups of 32),
 *    and the effective GB/s of the one-row case (bytes of the stored format);
 * 3. prefill and decode tokens/s (greedy, no stop) for the bundled character
 *    model and a GPT-2-shaped 124M model with seeded random weights at
 *    contexts 128 and 1024 (prompt = context - decoded tokens), threads 1
 *    then 2, for: ours (`tokenLoop`, wasm backend: the plain matmul path,
 *    packed f32 weights (the default), int8 weights per group of 32 through
 *    `quantize`'s setting), llama.cpp on our GGUF
 *    export in F32 and Q8_0 (node-llama-cpp 3.21.1, prebuilt CPU binary),
 *    onnxruntime-node 1.30 on our ONNX export with its KV cache; the
 *    effective GB/s of weight traffic in decode (bytes of the matrices one
 *    token reads x tokens/s) and its share of the streaming rate; whether
 *    each peer's greedy tokens equal ours.
 *
 *   npx tsx --conditions=@x/source bench/decode.ts [--quick] [--model DIR]
 *     [--decode N] [--no-peers] [--svg FILE]
 *
 * `--quick`: a tiny random model at contexts 32 and 64, 4 decoded tokens,
 * matmul at small sizes (seconds, for CI); peers still run. `--model`: the
 * bundled model's folder (default models/char-shakespeare; skipped if
 * absent). `--svg`: write the decode tokens/s bar chart there.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  matmul,
  noGrad,
  type PackedFormat,
  packWeights,
  project,
  setWasmThreads,
  type Tensor,
  tensor,
  tidy,
} from '@x/tensor';
import {
  CharTokenizer,
  createModel,
  type DecodeWeights,
  type LanguageModel,
  parseModelConfig,
  type Tokenizer,
  toGguf,
  tokenLoop,
  toOnnx,
} from '../src/index.js';
import { loadModel, loadTokenizer } from '../src/node/index.js';
import { streamingBandwidth } from './bandwidth.js';
import { type ChartRow, decodeChartSvg } from './decode-chart.js';
import { llamaCpp, llamaCppModel, onnxRuntimeRun, type PeerTiming } from './decode-peers.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const peers = !args.includes('--no-peers');
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const decode = Number(option('--decode') ?? (quick ? 4 : 32));
const bundledDir =
  option('--model') ?? fileURLToPath(new URL('../models/char-shakespeare', import.meta.url));
const THREADS = [1, 2];
const round = (x: number, digits = 2) => Number(x.toFixed(digits));

// 1. streaming bandwidth, at the start and again at the end (the machine is shared: the faster is the reference)
const bandwidthBytes = quick ? 64 * 2 ** 20 : 512 * 2 ** 20;
const bandwidthStart: Record<number, number> = {};
for (const t of THREADS) bandwidthStart[t] = round(await streamingBandwidth(t, bandwidthBytes), 1);
const bandwidth: Record<number, number> = { ...bandwidthStart };
console.log(
  `streaming read bandwidth (wasm SIMD sum over ${bandwidthBytes / 2 ** 20} MB): ${THREADS.map((t) => `${t} thread(s) ${bandwidth[t]} GB/s`).join(', ')}`,
);

// 2. matmul: time(M rows) / time(1 row)
function timeMs(run: () => void, minMs: number): number {
  run();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 5 || (performance.now() - start < minMs && times.length < 200)) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
const matmulRows: {
  kernel: string;
  K: number;
  N: number;
  threads: number;
  msPerCall: Record<number, number>;
  ratio: Record<number, number>;
  oneRowGBps: number;
  shareOfStreaming: number;
}[] = [];
const shapes: [number, number, 'KxN' | 'NxK transposed'][] = quick
  ? [[256, 1024, 'KxN']]
  : [
      [768, 3072, 'KxN'],
      [768, 50257, 'NxK transposed'],
    ];
for (const [K, N, layout] of shapes) {
  const data = new Float32Array(K * N);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761) % 1000) / 1000 - 0.5;
  const weight: Tensor =
    layout === 'KxN'
      ? tensor(data, { shape: [K, N] })
      : tensor(data, { shape: [N, K] }).transpose(0, 1);
  // packed once, as the model packs its weights at the first decode step
  const packed: Record<PackedFormat, ReturnType<typeof packWeights> | null> = {
    f32: packWeights(layout === 'KxN' ? weight : weight.transpose(0, 1), {
      format: 'f32',
      layout: layout === 'KxN' ? 'in-out' : 'out-in',
    }),
    int8: packWeights(layout === 'KxN' ? weight : weight.transpose(0, 1), {
      format: 'int8',
      groupSize: 32,
      layout: layout === 'KxN' ? 'in-out' : 'out-in',
    }),
    bf16: null,
    f16: null,
  };
  const kernels: { kernel: string; bytesPerWeight: number; product: (x: Tensor) => Tensor }[] = [
    { kernel: 'matmul', bytesPerWeight: 4, product: (x) => matmul(x, weight) },
    { kernel: 'project f32', bytesPerWeight: 4, product: (x) => project(x, packed.f32!) },
    {
      kernel: 'project int8/32',
      bytesPerWeight: 1 + 4 / 32,
      product: (x) => project(x, packed.int8!),
    },
  ];
  for (const { kernel, bytesPerWeight, product } of kernels)
    for (const threads of THREADS) {
      setWasmThreads(threads);
      const msPerCall: Record<number, number> = {};
      for (const M of [1, 2, 4, 8, 16]) {
        const x = tensor(new Float32Array(M * K).fill(0.01), { shape: [M, K] });
        msPerCall[M] = timeMs(() => tidy(() => void product(x).toTypedArray()), quick ? 50 : 400);
      }
      const ratio = Object.fromEntries(
        Object.entries(msPerCall).map(([M, ms]) => [M, round(ms / msPerCall[1]!)]),
      );
      const oneRowGBps = round((K * N * bytesPerWeight) / (msPerCall[1]! / 1000) / 1e9, 1);
      matmulRows.push({
        kernel,
        K,
        N,
        threads,
        msPerCall: Object.fromEntries(
          Object.entries(msPerCall).map(([M, ms]) => [M, round(ms, 3)]),
        ),
        ratio,
        oneRowGBps,
        shareOfStreaming: 0,
      });
      console.log(
        `${kernel.padEnd(15)} [M, ${K}] x ${layout === 'KxN' ? `[${K}, ${N}]` : `[${N}, ${K}]^T`}, ${threads} thread(s): ${Object.entries(
          ratio,
        )
          .map(([M, r]) => `M=${M} ${r}x`)
          .join(
            ', ',
          )}; one row ${msPerCall[1]!.toFixed(2)} ms = ${oneRowGBps} GB/s (${Math.round((100 * oneRowGBps) / bandwidth[threads]!)}% of streaming)`,
      );
    }
}

// 3. generation
interface Row {
  model: string;
  context: number;
  threads: number;
  engine: string;
  promptTokens: number;
  decodedTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  weightGBps: number;
  shareOfStreaming: number;
  sameGreedyTokensAsOurs: boolean | null;
}
const rows: Row[] = [];
const skipped: string[] = [];

/** Bytes of the weight matrices one decoded token reads, per element size. */
function matrixElements(model: LanguageModel): number {
  let n = 0;
  for (const [name, t] of Object.entries(model.stateDict()))
    if (t.rank >= 2 && !/wpe|wte|embed_tokens|embeddings|lm_head/.test(name)) n += t.size;
  return n + model.headWeight().size;
}

function tokenizerFor(vocab: number): Tokenizer {
  const chars = ['\n', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))];
  return CharTokenizer.fromCharacters(chars.slice(0, Math.min(vocab, chars.length)));
}

async function ours(
  model: LanguageModel,
  prompt: number[],
  threads: number,
  weights: DecodeWeights,
): Promise<PeerTiming> {
  setWasmThreads(threads);
  model.decodeWeights = weights;
  // pack (once per format, at the first decode step) and warm the JIT before the clock starts
  noGrad(() => tidy(() => void model.forward([[0]], { cache: model.createCache() })));
  const warm = tokenLoop(model, [prompt.slice(0, 8)], { maxTokens: 4, stopIds: [] });
  for (let step = await warm.next(); !step.done; step = await warm.next());
  const loop = tokenLoop(model, [prompt], { maxTokens: decode, stopIds: [] });
  const tokens: number[] = [];
  let step = await loop.next();
  while (!step.done) {
    tokens.push(step.value.id);
    step = await loop.next();
  }
  const { stats } = step.value;
  return {
    prefillTokensPerSecond: stats.prefillTokensPerSecond,
    decodeTokensPerSecond: stats.decodeTokensPerSecond,
    tokens,
  };
}

async function benchModel(
  name: string,
  model: LanguageModel,
  tokenizer: Tokenizer,
  contexts: number[],
) {
  const V = model.config.vocabSize;
  const elements = matrixElements(model);
  console.log(
    `${name}: ${(model.parameterCount() / 1e6).toFixed(1)}M parameters, ${(elements / 1e6).toFixed(1)}M read per decoded token`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'x-lm-bench-'));
  const engines: {
    engine: string;
    bytesPerElement: number;
    run: (prompt: number[], threads: number) => Promise<PeerTiming>;
    dispose?: () => Promise<void>;
  }[] = [
    {
      engine: 'ours (wasm, packed f32)',
      bytesPerElement: 4,
      run: (p, t) => ours(model, p, t, { format: 'f32' }),
    },
    {
      engine: 'ours (wasm, matmul f32)',
      bytesPerElement: 4,
      run: (p, t) => ours(model, p, t, { format: 'off' }),
    },
    {
      engine: 'ours (wasm, packed int8)',
      bytesPerElement: 1 + 4 / 32,
      run: (p, t) => ours(model, p, t, { format: 'int8', groupSize: 32 }),
    },
  ];
  if (peers) {
    const runtime = await llamaCpp();
    if (typeof runtime === 'string') skipped.push(`llama.cpp: ${runtime}`);
    else
      for (const type of ['f32', 'q8_0'] as const) {
        const path = join(dir, `model.${type}.gguf`);
        const file = toGguf(model, { tokenizer, type });
        writeFileSync(path, Buffer.concat(file.parts));
        const loaded = await llamaCppModel(path);
        engines.push({
          engine: `llama.cpp (${type === 'f32' ? 'F32' : 'Q8_0'})`,
          bytesPerElement: type === 'f32' ? 4 : 34 / 32,
          run: (p, t) => loaded.run(p, decode, t),
          dispose: () => loaded.dispose(),
        });
      }
    const onnx = toOnnx(model);
    engines.push({
      engine: 'onnxruntime (f32)',
      bytesPerElement: 4,
      run: (p, t) => onnxRuntimeRun(onnx, V, p, decode, t),
    });
  }
  for (const context of contexts) {
    const prompt = Array.from(
      { length: context - decode },
      (_, i) => (i * 7919 + 13) % Math.min(V, 96),
    );
    for (const threads of THREADS) {
      let reference: number[] | null = null;
      for (const e of engines) {
        const r = await e.run(prompt, threads);
        reference ??= r.tokens;
        const weightGBps = (elements * e.bytesPerElement * r.decodeTokensPerSecond) / 1e9;
        const row: Row = {
          model: name,
          context,
          threads,
          engine: e.engine,
          promptTokens: prompt.length,
          decodedTokens: r.tokens.length,
          prefillTokensPerSecond: round(r.prefillTokensPerSecond, 1),
          decodeTokensPerSecond: round(r.decodeTokensPerSecond),
          weightGBps: round(weightGBps),
          shareOfStreaming: round(weightGBps / bandwidth[threads]!, 3),
          sameGreedyTokensAsOurs: e === engines[0] ? null : r.tokens.join() === reference.join(),
        };
        rows.push(row);
        console.log(
          `  ctx ${String(context).padStart(4)} threads ${threads} ${e.engine.padEnd(18)} prefill ${String(row.prefillTokensPerSecond).padStart(8)} tok/s, decode ${String(row.decodeTokensPerSecond).padStart(8)} tok/s, weights ${row.weightGBps} GB/s (${Math.round(100 * row.shareOfStreaming)}% of streaming)${row.sameGreedyTokensAsOurs === null ? '' : row.sameGreedyTokensAsOurs ? ', same tokens' : ', other tokens'}`,
        );
      }
    }
  }
  for (const e of engines) await e.dispose?.();
  model.decodeWeights = { format: 'f32' };
  rmSync(dir, { recursive: true, force: true });
}

if (quick) {
  const model = createModel(
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: 65,
      n_positions: 64,
      n_embd: 64,
      n_layer: 2,
      n_head: 2,
    }),
    { seed: 1 },
  ).eval();
  await benchModel('tiny-random', model, tokenizerFor(65), [32, 64]);
} else {
  if (existsSync(bundledDir)) {
    const model = await loadModel(bundledDir);
    const context = Math.min(
      128,
      model.config.architecture === 'mamba' ? 128 : model.config.maxPositions,
    );
    await benchModel('bundled char model', model, await loadTokenizer(bundledDir), [context]);
  } else {
    skipped.push(`the bundled model is not at ${bundledDir}`);
    console.log(`(the bundled model is not at ${bundledDir}: skipped)`);
  }
  const gpt2 = createModel(
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: 50257,
      n_positions: 1024,
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
    }),
    { seed: 124 },
  ).eval();
  await benchModel('gpt2-124M-shaped (random)', gpt2, tokenizerFor(50257), [128, 1024]);
}

const bandwidthEnd: Record<number, number> = {};
for (const t of THREADS) {
  bandwidthEnd[t] = round(await streamingBandwidth(t, bandwidthBytes), 1);
  bandwidth[t] = Math.max(bandwidthStart[t]!, bandwidthEnd[t]!);
}
console.log(
  `streaming read bandwidth at the end: ${THREADS.map((t) => `${t} thread(s) ${bandwidthEnd[t]} GB/s`).join(', ')} (shares below are of the faster of start and end)`,
);
for (const r of rows) r.shareOfStreaming = round(r.weightGBps / bandwidth[r.threads]!, 3);
for (const m of matmulRows) m.shareOfStreaming = round(m.oneRowGBps / bandwidth[m.threads]!, 3);

// the README's table
console.log(
  '\n| model | context | threads | engine | prefill tok/s | decode tok/s | weight traffic GB/s (of streaming) | greedy tokens = ours |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.model} | ${r.context} | ${r.threads} | ${r.engine} | ${r.prefillTokensPerSecond} | ${r.decodeTokensPerSecond} | ${r.weightGBps} (${Math.round(100 * r.shareOfStreaming)}%) | ${r.sameGreedyTokensAsOurs === null ? '-' : r.sameGreedyTokensAsOurs ? 'yes' : 'no'} |`,
  );
console.log('');

console.log(
  '| kernel | K x N | threads | M = 2 | 4 | 8 | 16 | 1 row | GB/s (share of streaming) |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const m of matmulRows)
  console.log(
    `| ${m.kernel} | ${m.K} x ${m.N} | ${m.threads} | ${m.ratio[2]} | ${m.ratio[4]} | ${m.ratio[8]} | ${m.ratio[16]} | ${m.msPerCall[1]} ms | ${m.oneRowGBps} (${Math.round(100 * m.shareOfStreaming)}%) |`,
  );
console.log('');

const svg = option('--svg');
if (svg) {
  const chart: ChartRow[] = rows.map((r) => ({
    panel: `${r.model}, ctx ${r.context}`,
    threads: r.threads,
    engine: r.engine,
    value: r.decodeTokensPerSecond,
  }));
  writeFileSync(svg, decodeChartSvg(chart, 'Decode tokens/s (greedy), higher is better'));
}
console.log(
  JSON.stringify({
    bench: '@x/lm decode',
    quick,
    decode,
    bandwidthGBps: { start: bandwidthStart, end: bandwidthEnd, reference: bandwidth },
    matmul: matmulRows,
    generation: rows,
    skipped,
  }),
);
