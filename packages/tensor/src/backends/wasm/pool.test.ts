import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { wasmContext } from './context.js';
import { POOL_FUNCTIONS } from './pool.js';
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './worker-source.js';

const until = async (condition: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(condition()).toBe(true);
};

describe('pool workers', () => {
  it('both worker sources parse', () => {
    expect(() => new Function(NODE_WORKER_SOURCE)).not.toThrow();
    expect(() => new Function(BROWSER_WORKER_SOURCE)).not.toThrow();
  });

  it('the browser worker starts from a message and runs a job on the shared memory', async () => {
    // A Node worker with a `self` shim stands in for a Web Worker: same source, same protocol.
    const context = wasmContext();
    const control = new SharedArrayBuffer(2 * 16 * 4);
    const args = new SharedArrayBuffer(2 * 16 * 8);
    const ctrl = new Int32Array(control);
    const shim = `const self = {};\n${BROWSER_WORKER_SOURCE}\nrequire('node:worker_threads').parentPort.once('message', (data) => self.onmessage({ data }));`;
    const worker = new Worker(shim, { eval: true });
    try {
      const { module, memory } = context.runtime;
      worker.postMessage({ module, memory, control, args, index: 1, names: POOL_FUNCTIONS });
      await until(() => Atomics.load(ctrl, 16 + 4) === 1);
      const src = context.allocStorage('float32', 5);
      const dst = context.allocStorage('float32', 5);
      (context.view(src) as Float32Array).set([1, -2, 3, -4, 5]);
      ctrl[16 + 1] = POOL_FUNCTIONS.indexOf('un_neg');
      ctrl[16 + 3] = 3;
      new Float64Array(args).set([src.ptr, dst.ptr, 5], 16);
      Atomics.add(ctrl, 16, 1);
      Atomics.notify(ctrl, 16);
      await until(() => Atomics.load(ctrl, 16 + 2) === 1);
      expect([...context.view(dst)]).toEqual([-1, 2, -3, 4, -5]);
      expect(ctrl[16 + 5]).toBe(0);
      context.freeStorage(src);
      context.freeStorage(dst);
    } finally {
      await worker.terminate();
    }
  });
});
