/**
 * The matmul peers of the bench, each prepared on the same float32 inputs and
 * returning a runner and a result reader: tfjs-core with its cpu and wasm
 * backends (4.22.0; tfjs-wasm is XNNPACK with SIMD, one thread in Node),
 * gpu.js 2.24.1 running a plain matmul kernel in its default mode (webasm on
 * a machine without a GPU), and onnxruntime-node 1.30.0 (native MLAS) with 1
 * and 2 intra-op threads on the hand-encoded model of `onnx-matmul.ts`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as ort from 'onnxruntime-node';
import { matmulModel } from './onnx-matmul.js';

/** A prepared implementation: `run` computes (possibly async), `read` returns the result values. */
export interface Runner {
  run(): unknown;
  read(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/**
 * A tensor's values, then disposed. (Not `tf.tidy(() => t.dataSync())`: tidy
 * walks a returned typed array element by element looking for tensors, which
 * costs about a second per million elements and once made tfjs look slow.)
 */
function values(t: tf.Tensor): ArrayLike<number> {
  const data = t.dataSync();
  t.dispose();
  return data;
}

/**
 * A tfjs matmul on one backend (switches tfjs to it).
 * @param backend - `cpu` or `wasm`
 */
export async function tfjsMatmul(
  backend: 'cpu' | 'wasm',
  a: Float32Array,
  b: Float32Array,
  n: number,
): Promise<Runner> {
  await tf.setBackend(backend);
  await tf.ready();
  const ta = tf.tensor2d(a, [n, n]);
  const tb = tf.tensor2d(b, [n, n]);
  return {
    run: () => {
      const c = tf.matMul(ta, tb);
      c.dataSync();
      c.dispose();
    },
    read: async () => values(tf.matMul(ta, tb)),
    dispose: () => tf.dispose([ta, tb]),
  };
}

/**
 * A tfjs op on 1M elements (rows x cols) on one backend.
 * @param backend - `cpu` or `wasm`
 */
export async function tfjsRowOp(
  backend: 'cpu' | 'wasm',
  op: 'add' | 'exp' | 'softmax' | 'layerNorm',
  a: Float32Array,
  b: Float32Array,
  rows: number,
  cols: number,
): Promise<Runner> {
  await tf.setBackend(backend);
  await tf.ready();
  const ta = tf.tensor2d(a, [rows, cols]);
  const tb = tf.tensor2d(b, [rows, cols]);
  const fn = {
    add: () => tf.add(ta, tb),
    exp: () => tf.exp(ta),
    softmax: () => tf.softmax(ta, -1),
    layerNorm: () => {
      const { mean, variance } = tf.moments(ta, -1, true);
      return tf.div(tf.sub(ta, mean), tf.sqrt(tf.add(variance, 1e-5)));
    },
  }[op];
  return {
    run: () => values(tf.tidy(fn)),
    read: async () => values(tf.tidy(fn)),
    dispose: () => tf.dispose([ta, tb]),
  };
}

/** gpu.js's mode on this machine and a matmul kernel in it, or null where gpu.js does not load. */
export async function gpuJsMatmul(
  a: Float32Array,
  b: Float32Array,
  n: number,
): Promise<(Runner & { mode: string }) | null> {
  let gpuModule: typeof import('gpu.js');
  try {
    gpuModule = await import('gpu.js');
  } catch {
    return null;
  }
  const api = (gpuModule as { default?: typeof gpuModule }).default ?? gpuModule;
  const { GPU, Input } = api;
  const gpu = new GPU();
  const kernel = gpu
    .createKernel(function (
      this: { thread: { x: number; y: number } },
      x: number[][],
      y: number[][],
      size: number,
    ) {
      let sum = 0;
      for (let k = 0; k < size; k++) sum += x[this.thread.y]![k]! * y[k]![this.thread.x]!;
      return sum;
    })
    .setOutput([n, n])
    .setLoopMaxIterations(n);
  const ia = new Input(a as unknown as number[], [n, n]); // gpu.js takes typed arrays; its typings say number[]
  const ib = new Input(b as unknown as number[], [n, n]);
  const compute = () => kernel(ia, ib, n) as unknown as Float32Array[];
  return {
    mode: gpu.mode ?? 'unknown',
    run: compute,
    read: async () => {
      const rows = compute();
      const out = new Float32Array(n * n);
      rows.forEach((row, i) => out.set(row, i * n));
      return out;
    },
    dispose: () => gpu.destroy(),
  };
}

/**
 * onnxruntime-node's MatMul with `threads` intra-op threads.
 * @param threads - intraOpNumThreads
 */
export async function onnxMatmul(
  a: Float32Array,
  b: Float32Array,
  n: number,
  threads: number,
): Promise<Runner> {
  const session = await ort.InferenceSession.create(matmulModel(), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {
    A: new ort.Tensor('float32', a, [n, n]),
    B: new ort.Tensor('float32', b, [n, n]),
  };
  return {
    run: () => session.run(feeds),
    read: async () => (await session.run(feeds)).C!.data as Float32Array,
    dispose: () => void session.release(),
  };
}
