/**
 * `npm run bench -w @x/lm`: generation speed on the wasm backend — prefill
 * and decode tokens per second, time to first token, memory, and the share
 * of decode time spent in matmul versus everything else (the baseline the
 * decode-speed work measures itself against) — for the bundled character
 * model and a GPT-2-small-shaped model (12 layers, 768 wide, 12 heads,
 * vocabulary 50257, 124M parameters, seeded random weights) at contexts 128
 * and 1024, on 1 and 2 threads; then the tokenizers' encode throughput
 * against gpt-tokenizer (bench/tokenizer-throughput.ts).
 *
 * A run at context C prefills C - 32 prompt tokens and decodes 32 (greedy,
 * no stop). Times are wall clock on a machine that may be shared; the CPU
 * time of the process is printed beside them. Ends with one JSON line.
 *
 *   npx tsx --conditions=@x/source bench/index.ts [--quick] [--data DIR] [--model DIR]
 *
 * `--quick`: a small random model, contexts 32 and 64, 4 decoded tokens
 * (seconds; what CI runs). `--model` overrides the bundled model's folder.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getBackend, memory, resetPeakMemory, setWasmThreads } from '@x/tensor';
import { createModel, type LanguageModel, parseModelConfig, tokenLoop } from '../src/index.js';
import { loadModel } from '../src/node/index.js';
import { runTokenizerThroughput } from './tokenizer-throughput.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const bundledDir =
  option('--model') ?? fileURLToPath(new URL('../models/char-shakespeare', import.meta.url));

interface Row {
  model: string;
  threads: number;
  context: number;
  promptTokens: number;
  decodedTokens: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  timeToFirstTokenMs: number;
  decodeMatmulShare: number;
  peakWasmMB: number;
  rssMB: number;
  cpuSeconds: number;
}

/** Wraps the backend's matmul to time it (decode steps only). */
function matmulTimer() {
  const backend = getBackend() as unknown as { matmul: (...a: unknown[]) => unknown };
  const original = backend.matmul.bind(backend);
  let ms = 0;
  let on = false;
  backend.matmul = (...a: unknown[]) => {
    if (!on) return original(...a);
    const start = performance.now();
    const result = original(...a);
    ms += performance.now() - start;
    return result;
  };
  return {
    start() {
      on = true;
    },
    get ms() {
      return ms;
    },
    restore() {
      backend.matmul = original;
    },
  };
}

async function measure(
  name: string,
  model: LanguageModel,
  threads: number,
  context: number,
  decode: number,
): Promise<Row> {
  setWasmThreads(threads);
  const promptTokens = context - decode;
  const V = model.config.vocabSize;
  const prompt = Array.from({ length: promptTokens }, (_, i) => (i * 7919 + 13) % V);
  resetPeakMemory();
  const cpu = process.cpuUsage();
  const timer = matmulTimer();
  const loop = tokenLoop(model, [prompt], { maxTokens: decode, stopIds: [] });
  let first = true;
  let step = await loop.next();
  while (!step.done) {
    if (first) {
      timer.start(); // decode steps from here on
      first = false;
    }
    step = await loop.next();
  }
  timer.restore();
  const { stats } = step.value;
  const used = process.cpuUsage(cpu);
  return {
    model: name,
    threads,
    context,
    promptTokens,
    decodedTokens: stats.generatedTokens,
    prefillTokensPerSecond: round(stats.prefillTokensPerSecond, 1),
    decodeTokensPerSecond: round(stats.decodeTokensPerSecond, 2),
    timeToFirstTokenMs: round(stats.timeToFirstTokenMs, 1),
    decodeMatmulShare: round(timer.ms / Math.max(1e-9, stats.decodeMs), 3),
    peakWasmMB: round(memory().peakBytes / 1e6, 1),
    rssMB: round(process.memoryUsage().rss / 1e6, 0),
    cpuSeconds: round((used.user + used.system) / 1e6, 2),
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

function gpt2Small(): LanguageModel {
  return createModel(
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
}

function tinyRandom(): LanguageModel {
  return createModel(
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
}

const rows: Row[] = [];
const models: [string, () => Promise<LanguageModel>, number[]][] = quick
  ? [['tiny-random', async () => tinyRandom(), [32, 64]]]
  : [
      ...(existsSync(bundledDir)
        ? ([['bundled char model', () => loadModel(bundledDir), [128]]] as [
            string,
            () => Promise<LanguageModel>,
            number[],
          ][])
        : []),
      ['gpt2-124M-shaped (random)', async () => gpt2Small(), [128, 1024]],
    ];
if (!quick && !existsSync(bundledDir))
  console.log(`(the bundled model is not at ${bundledDir}: skipped)`);
const decode = quick ? 4 : 32;
for (const [name, load, contexts] of models) {
  const model = await load();
  console.log(
    `${name}: ${(model.parameterCount() / 1e6).toFixed(1)}M parameters, context ${model.config.architecture === 'mamba' ? '-' : model.config.maxPositions}`,
  );
  for (const context of contexts.filter(
    (c) => model.config.architecture === 'mamba' || c <= model.config.maxPositions,
  ))
    for (const threads of [1, 2]) {
      const row = await measure(name, model, threads, context, decode);
      rows.push(row);
      console.log(
        `  ctx ${String(context).padStart(4)} threads ${threads}: prefill ${row.prefillTokensPerSecond} tok/s, TTFT ${row.timeToFirstTokenMs} ms, decode ${row.decodeTokensPerSecond} tok/s (matmul ${(100 * row.decodeMatmulShare).toFixed(0)}% of decode), peak wasm ${row.peakWasmMB} MB, RSS ${row.rssMB} MB, CPU ${row.cpuSeconds} s`,
      );
    }
}
const dataDir = option('--data');
const tokenizers = await runTokenizerThroughput({ quick, ...(dataDir ? { dataDir } : {}) });
console.log(JSON.stringify({ bench: '@x/lm', quick, generation: rows, tokenizers }));
