/**
 * The source of a pool worker: in Node run with `new Worker(source, { eval:
 * true })`, in browsers from a Blob URL, so it needs no file next to the
 * bundle (and works when @x/tensor is loaded from TypeScript sources, which
 * Node workers cannot import without a loader). Node passes the start-up data
 * as `workerData`, browsers as the first message.
 *
 * Protocol over the control SharedArrayBuffer, 16 int32 words per thread `t`
 * at `t * 16`: [0] job sequence (the wake-up word the worker waits on),
 * [1] function index (-1: load a module), [2] last finished sequence (the
 * main thread waits on it), [3] argument count, [4] ready flag, [5] error
 * flag, [6] module slot (0: the core's module, whose functions are `names`;
 * others: the extension modules of `defineKernel` kernels, whose functions
 * are their function exports in order). Arguments are 16 float64 per thread
 * in a second buffer (every i32 and f32 is exact in a float64). The worker
 * instantiates the core's module on the shared memory, raises its ready flag,
 * then loops: wait for a new sequence, call the function (or, for a load,
 * compile the module whose bytes lie in the shared memory at args[0] with
 * length args[1] and instantiate it into the slot), publish the sequence as
 * finished, notify.
 */
/** The worker body: `data` holds { module, memory, control, args, index, names }. */
const LOOP = `
const { module, memory, control, args, index, names } = data;
const ctrl = new Int32Array(control);
const values = new Float64Array(args);
const base = index * 16;
const env = { env: { memory, log: Math.log } };
const modules = [];
try {
  const instance = new WebAssembly.Instance(module, env);
  modules[0] = names.map((name) => instance.exports[name]);
} catch (error) {
  Atomics.store(ctrl, base + 5, 1);
  throw error;
}
Atomics.store(ctrl, base + 4, 1);
Atomics.notify(ctrl, base + 4);
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, base, seen);
  seen = Atomics.load(ctrl, base);
  const fi = ctrl[base + 1];
  const slot = ctrl[base + 6];
  const argc = ctrl[base + 3];
  const a = [];
  for (let i = 0; i < argc; i++) a.push(values[index * 16 + i]);
  try {
    if (fi === -1) {
      const bytes = new Uint8Array(memory.buffer, a[0], a[1]).slice();
      const compiled = new WebAssembly.Module(bytes);
      const instance = new WebAssembly.Instance(compiled, env);
      const functions = WebAssembly.Module.exports(compiled).filter((e) => e.kind === 'function');
      modules[slot] = functions.map((e) => instance.exports[e.name]);
    } else {
      modules[slot][fi](...a);
    }
  } catch (error) {
    Atomics.store(ctrl, base + 5, 1);
  }
  Atomics.store(ctrl, base + 2, seen);
  Atomics.notify(ctrl, base + 2);
}
`;

/** The Node worker (`eval: true`, CommonJS). */
export const NODE_WORKER_SOURCE = `const { workerData: data } = require('node:worker_threads');\n${LOOP}`;

/** The browser worker (a classic script from a Blob URL). */
export const BROWSER_WORKER_SOURCE = `self.onmessage = (event) => {\nconst data = event.data;\n${LOOP}\n};`;
