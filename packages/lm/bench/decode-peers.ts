/**
 * The peers of `bench/decode.ts`, run in the same process on the same
 * weights: llama.cpp through node-llama-cpp 3.21.1 (its prebuilt CPU
 * binary; our GGUF export, F32 and Q8_0) and onnxruntime-node 1.30 (our
 * ONNX export with its KV cache). Each prefills the prompt in one call,
 * then decodes greedily one token per call; the timings follow
 * `tokenLoop`'s definitions (prefill = the prompt's call up to its
 * logits; decode tokens/s = tokens after the first / time after the first).
 */
import * as ort from 'onnxruntime-node';
import type { OnnxFile } from '../src/export/onnx.js';

/** One peer run. */
export interface PeerTiming {
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  tokens: number[];
}

type NodeLlamaCpp = typeof import('node-llama-cpp');
type Llama = Awaited<ReturnType<NodeLlamaCpp['getLlama']>>;

let llama: Promise<Llama | string> | null = null;

/** node-llama-cpp's CPU backend, or the reason it cannot load. */
export function llamaCpp(): Promise<Llama | string> {
  llama ??= (async () => {
    try {
      const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
      return await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    } catch (error) {
      return `node-llama-cpp cannot load: ${(error as Error).message}`;
    }
  })();
  return llama;
}

/** A GGUF file loaded once, run at several thread counts. */
export async function llamaCppModel(path: string) {
  const runtime = await llamaCpp();
  if (typeof runtime === 'string') throw new Error(runtime);
  const model = await runtime.loadModel({ modelPath: path });
  return {
    async run(prompt: number[], decode: number, threads: number): Promise<PeerTiming> {
      const context = await model.createContext({
        contextSize: prompt.length + decode + 8,
        threads: { ideal: threads, min: threads },
        batchSize: 512,
        sequences: 1,
      });
      try {
        const sequence = context.getSequence();
        const tokens: number[] = [];
        const started = performance.now();
        let first = 0;
        for await (const token of sequence.evaluate(prompt as never[], { temperature: 0 })) {
          if (tokens.length === 0) first = performance.now();
          tokens.push(token as number);
          if (tokens.length === decode) break;
        }
        const end = performance.now();
        return {
          prefillTokensPerSecond: prompt.length / ((first - started) / 1000),
          decodeTokensPerSecond: (tokens.length - 1) / ((end - first) / 1000),
          tokens,
        };
      } finally {
        await context.dispose();
      }
    },
    dispose: () => model.dispose(),
  };
}

/** Our ONNX graph in onnxruntime-node, one session per thread count. */
export async function onnxRuntimeRun(
  file: OnnxFile,
  vocab: number,
  prompt: number[],
  decode: number,
  threads: number,
): Promise<PeerTiming> {
  const session = await ort.InferenceSession.create(file.bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  try {
    const { layers, kvHeads, headDim } = file.cache;
    let past: Record<string, ort.Tensor> = {};
    for (let i = 0; i < layers; i++)
      for (const part of ['key', 'value'])
        past[`past_key_values.${i}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [
          1,
          kvHeads,
          0,
          headDim,
        ]);
    const int64 = (values: number[]) =>
      new ort.Tensor(
        'int64',
        BigInt64Array.from(values, (v) => BigInt(v)),
        [1, values.length],
      );
    let length = 0;
    const step = async (ids: number[]) => {
      const out = await session.run({
        input_ids: int64(ids),
        attention_mask: int64(new Array(length + ids.length).fill(1)),
        position_ids: int64(ids.map((_, t) => length + t)),
        ...past,
      });
      const next: Record<string, ort.Tensor> = {};
      for (let i = 0; i < layers; i++)
        for (const part of ['key', 'value'])
          next[`past_key_values.${i}.${part}`] = out[`present.${i}.${part}`]!;
      past = next;
      length += ids.length;
      const logits = out.logits!.data as Float32Array;
      let best = 0;
      const at = logits.length - vocab;
      for (let v = 1; v < vocab; v++) if (logits[at + v]! > logits[at + best]!) best = v;
      return best;
    };
    const started = performance.now();
    const tokens = [await step(prompt)];
    const first = performance.now();
    while (tokens.length < decode) tokens.push(await step([tokens[tokens.length - 1]!]));
    const end = performance.now();
    return {
      prefillTokensPerSecond: prompt.length / ((first - started) / 1000),
      decodeTokensPerSecond: (tokens.length - 1) / ((end - first) / 1000),
      tokens,
    };
  } finally {
    await session.release();
  }
}
