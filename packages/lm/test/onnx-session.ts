/**
 * Runs a `toOnnx` graph in onnxruntime-node the way a decoder is driven:
 * the prompt in one call with empty pasts, then one token per call with
 * the previous call's presents fed back as pasts.
 */
import * as ort from 'onnxruntime-node';
import type { OnnxFile } from '../src/export/onnx.js';

/** A decoding session over one sequence. */
export interface OnnxDecoder {
  /** Runs `ids` after what was run before; returns the logits [ids.length, V] flat. */
  step(ids: readonly number[]): Promise<Float32Array>;
  /** Forgets the cache. */
  reset(): void;
  release(): Promise<void>;
}

/** Opens a session on `file` with `threads` intra-op threads. */
export async function onnxDecoder(file: OnnxFile, threads = 1): Promise<OnnxDecoder> {
  const session = await ort.InferenceSession.create(file.bytes, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const { layers, kvHeads, headDim } = file.cache;
  let past: Record<string, ort.Tensor> = {};
  let length = 0;
  const reset = () => {
    past = {};
    for (let i = 0; i < layers; i++)
      for (const part of ['key', 'value'])
        past[`past_key_values.${i}.${part}`] = new ort.Tensor('float32', new Float32Array(0), [
          1,
          kvHeads,
          0,
          headDim,
        ]);
    length = 0;
  };
  reset();
  return {
    async step(ids) {
      const T = ids.length;
      const int64 = (values: number[], dims: number[]) =>
        new ort.Tensor(
          'int64',
          BigInt64Array.from(values, (v) => BigInt(v)),
          dims,
        );
      const out = await session.run({
        input_ids: int64([...ids], [1, T]),
        attention_mask: int64(new Array(length + T).fill(1), [1, length + T]),
        position_ids: int64(
          Array.from({ length: T }, (_, t) => length + t),
          [1, T],
        ),
        ...past,
      });
      for (let i = 0; i < layers; i++)
        for (const part of ['key', 'value'])
          past[`past_key_values.${i}.${part}`] = out[`present.${i}.${part}`]!;
      length += T;
      return out.logits!.data as Float32Array;
    },
    reset,
    release: () => session.release(),
  };
}
