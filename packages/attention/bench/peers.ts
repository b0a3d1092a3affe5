/**
 * The peers, run in the same process on the same inputs: naive attention
 * (matMul, softmax, matMul with an additive causal mask) on
 * @tensorflow/tfjs-backend-wasm 4.22.0 (single-threaded in Node) and on
 * onnxruntime-node 1.30.0 (CPU, intra-op threads 1) through the
 * hand-encoded graph of `onnx-graph.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { attentionModel } from './onnx-graph.js';
import type { Problem } from './reference.js';

/** A prepared peer run: `run` computes the output, `memory` the intermediate bytes when measurable. */
export interface PeerRun {
  run(): Promise<Float32Array>;
  /** Peak bytes allocated by one run beyond its inputs and output, or null when the library does not report it. */
  memory(): Promise<number | null>;
  dispose(): void;
}

function causalMask(n: number): Float32Array {
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i++) mask.fill(-1e9, i * n + i + 1, (i + 1) * n);
  return mask;
}

/** Switches tfjs to its wasm backend. */
export async function initTfjsWasm(): Promise<string> {
  await tf.setBackend('wasm');
  await tf.ready();
  return tf.getBackend();
}

/**
 * tfjs-wasm naive attention on a problem. With `perHead`, the heads run one
 * after another (a [1, 1, N, d] problem each, outputs concatenated): its
 * wasm32 heap cannot hold all heads' N x N intermediates at once from
 * 8 heads x N = 4096 on, and head by head is what a user would do there.
 * Memory is then one head's peak.
 */
export function tfjsWasm(p: Problem, perHead = false): PeerRun {
  const parts = perHead ? p.heads : 1;
  const heads = p.heads / parts;
  const size = heads * p.n * p.d;
  const shape: [number, number, number, number] = [1, heads, p.n, p.d];
  const slice = (a: Float32Array, i: number) =>
    tf.tensor4d(a.subarray(i * size, (i + 1) * size), shape);
  const q = Array.from({ length: parts }, (_, i) => slice(p.q, i));
  const k = Array.from({ length: parts }, (_, i) => slice(p.k, i));
  const v = Array.from({ length: parts }, (_, i) => slice(p.v, i));
  const mask = tf.tensor2d(causalMask(p.n), [p.n, p.n]);
  const scale = 1 / Math.sqrt(p.d);
  const forward = (i: number) =>
    tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(q[i]!, k[i]!, false, true), scale), mask)), v[i]!);
  return {
    run: async () => {
      const result = new Float32Array(p.heads * p.n * p.d);
      for (let i = 0; i < parts; i++) {
        const out = tf.tidy(() => forward(i));
        result.set(out.dataSync() as Float32Array, i * size);
        out.dispose();
      }
      return result;
    },
    memory: async () => {
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => tf.tidy(() => forward(0).clone()));
      (info.result as tf.Tensor).dispose();
      return info.peakBytes - before - size * 4;
    },
    dispose: () => tf.dispose([...q, ...k, ...v, mask]),
  };
}

let session: ort.InferenceSession | null = null;

/** onnxruntime-node naive attention on a problem (one intra-op thread). */
export async function onnxRuntime(p: Problem): Promise<PeerRun> {
  session ??= await ort.InferenceSession.create(attentionModel(1 / Math.sqrt(p.d)), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  const s = session;
  const shape = [1, p.heads, p.n, p.d];
  const feeds = {
    Q: new ort.Tensor('float32', p.q, shape),
    K: new ort.Tensor('float32', p.k, shape),
    V: new ort.Tensor('float32', p.v, shape),
    mask: new ort.Tensor('float32', causalMask(p.n), [p.n, p.n]),
  };
  return {
    run: async () => (await s.run(feeds)).O!.data as Float32Array,
    memory: async () => null,
    dispose: () => undefined,
  };
}
