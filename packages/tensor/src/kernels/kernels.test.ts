/**
 * Extension kernels (`defineKernel` / `runKernel`): results against plain
 * loops on every backend, the js reference on a backend without the kernel
 * (host views, and download / upload where the backend has no host memory),
 * a wasm implementation from a module compiled here on the core's memory
 * (in place, split across the worker pool, declining to the reference),
 * gradients (finite differences in float64, one rule per output), the
 * registry, and the errors bad calls get.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { compileModule } from '../../../../scripts/wasm/generate.js';
import { coreImports, type WasmVariant } from '../../../../scripts/wasm/module.js';
import { gradcheck } from '../autograd/gradcheck.js';
import type { Backend } from '../backend/backend.js';
import { listBackends, registerBackend } from '../backend/registry.js';
import { createJsBackend } from '../backends/js/index.js';
import {
  getWasmThreads,
  setWasmThreads,
  startWasmThreads,
  wasmInfo,
} from '../backends/wasm/index.js';
import type { WasmModuleSource } from '../backends/wasm/modules.js';
import { BackendError, DTypeError, KernelError } from '../errors.js';
import { randn, tensor } from '../ops/creation.js';
import { Generator } from '../random.js';
import { defineKernel } from './kernel.js';
import {
  getKernel,
  listKernels,
  registerKernel,
  registerKernelImplementation,
} from './registry.js';
import { runKernel } from './run.js';
import { wasmModule } from './wasm.js';

/** out[r, c] = x[r, c] + bias[c], rows [r0, r1); `mark` writes the thread index at ptr + 4 t. */
function testModuleWat(variant: WasmVariant): string {
  return `(module
  ${coreImports(variant)}
  (func (export "add_rows") (param $x i32) (param $bias i32) (param $out i32) (param $cols i32) (param $r0 i32) (param $r1 i32)
    (local $r i32) (local $c i32) (local $at i32)
    (local.set $r (local.get $r0))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $r) (local.get $r1)))
      (local.set $c (i32.const 0))
      (block $cdone (loop $cols
        (br_if $cdone (i32.ge_s (local.get $c) (local.get $cols)))
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $x) (local.get $at)))
                   (f32.load (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows))))
  (func (export "mark") (param $ptr i32) (param $thread i32)
    (i32.store (i32.add (local.get $ptr) (i32.shl (local.get $thread) (i32.const 2))) (i32.add (local.get $thread) (i32.const 1)))))`;
}

async function testModule(): Promise<WasmModuleSource> {
  const bytes = await compileModule({
    name: 'test.rows',
    kind: 'core',
    target: 'generated/none.ts',
    exportName: 'X',
    description: 'test',
    wat: testModuleWat,
  });
  const variants: Record<string, string> = {};
  for (const [name, b] of Object.entries(bytes)) variants[name] = Buffer.from(b).toString('base64');
  return { name: 'test.rows', variants };
}

/** y = x + bias over the last axis (the reference for every implementation below). */
function addBiasReference(x: Float64Array, bias: Float64Array): Float64Array {
  return x.map((v, i) => v + bias[i % bias.length]!);
}

const threads = getWasmThreads();
afterAll(() => setWasmThreads(threads));

describe('defineKernel and runKernel', async () => {
  const source = await testModule();
  const wasmCalls = { count: 0, declined: 0 };
  const addBias = defineKernel<{ alpha: number }>({
    name: 'test.addBias',
    inputs: [
      { name: 'x', dtypes: ['float32', 'float64'] },
      { name: 'bias', dtypes: ['float32', 'float64'] },
    ],
    outputs: ([x, bias]) => {
      if (x!.shape.at(-1) !== bias!.shape[0] || bias!.shape.length !== 1)
        throw new KernelError(
          'test.addBias',
          `bias [${bias!.shape}] does not fit x [${x!.shape}]`,
          'test.addBias',
        );
      return [{ shape: x!.shape, dtype: x!.dtype }];
    },
    gradient: (grad, { inputs: [x], attributes }) => [
      grad.mul(attributes.alpha),
      grad.reshape([-1, x!.shape.at(-1)!]).sum(0),
    ],
    js: ({ inputs: [x, bias], outputs: [y], attributes: { alpha } }) => {
      const n = bias!.data.length;
      for (let i = 0; i < y!.data.length; i++)
        y!.data[i] = alpha * x!.data[i]! + bias!.data[i % n]!;
    },
    wasm: {
      module: source,
      run: ({ inputs: [x, bias], outputs: [y], attributes, wasm }) => {
        if (x!.dtype !== 'float32' || attributes.alpha !== 1) {
          wasmCalls.declined++;
          return false; // the js reference runs on the same memory
        }
        wasmCalls.count++;
        const cols = bias!.size;
        const rows = x!.size / Math.max(cols, 1);
        wasm.parallel('add_rows', { units: rows, work: x!.size, threshold: 0 }, (part) => [
          x!.address,
          bias!.address,
          y!.address,
          cols,
          part.start,
          part.end,
        ]);
        return true;
      },
    },
  });

  it.each(listBackends())('computes x + bias on %s (float32 and float64)', (backend) => {
    const g = new Generator(1);
    for (const dtype of ['float32', 'float64'] as const) {
      const x = randn([5, 7], { generator: g, dtype, backend });
      const bias = randn([7], { generator: g, dtype, backend });
      const [y] = addBias.run([x, bias], { alpha: 1 });
      expect(y!.backend).toBe(backend);
      expect(y!.shape).toEqual([5, 7]);
      const want = addBiasReference(
        Float64Array.from(x.toTypedArray()),
        Float64Array.from(bias.toTypedArray()),
      );
      const got = y!.toTypedArray();
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
    }
  });

  it('runs the wasm implementation on wasm tensors in place, and the reference where it declines', () => {
    if (!listBackends().includes('wasm')) return;
    const before = { ...addBias.calls };
    const x = randn([64, 33], { backend: 'wasm' });
    const bias = randn([33], { backend: 'wasm' });
    addBias.run([x, bias], { alpha: 1 });
    addBias.run([x.to('float64'), bias.to('float64')], { alpha: 1 });
    expect((addBias.calls.wasm ?? 0) - (before.wasm ?? 0)).toBe(1);
    expect((addBias.calls.js ?? 0) - (before.js ?? 0)).toBe(1);
    expect(wasmCalls.declined).toBeGreaterThan(0);
  });

  it('takes strided inputs as contiguous copies on their backend', () => {
    const x = randn([7, 5]).transpose(0, 1);
    const bias = randn([7]);
    const [y] = addBias.run([x, bias], { alpha: 1 });
    const want = addBiasReference(
      Float64Array.from(x.toTypedArray()),
      Float64Array.from(bias.toTypedArray()),
    );
    const got = y!.toTypedArray();
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
  });

  it('splits a job across the worker pool, each worker running the package module', async () => {
    if (!listBackends().includes('wasm') || !wasmInfo().shared) return;
    setWasmThreads(2);
    if ((await startWasmThreads()) < 2) return;
    const handle = wasmModule(source)!;
    const block = handle.alloc(16);
    handle.i32().fill(0, block.ptr / 4, block.ptr / 4 + 4);
    handle.parallel('mark', { units: 2, threshold: 0 }, (part) => [block.ptr, part.thread]);
    expect(Array.from(handle.i32().subarray(block.ptr / 4, block.ptr / 4 + 2))).toEqual([1, 2]);
    block.free();
    // and a kernel run splits too, with the same result as one thread
    const x = randn([300, 40], { backend: 'wasm' });
    const bias = randn([40], { backend: 'wasm' });
    const [split] = addBias.run([x, bias], { alpha: 1 });
    setWasmThreads(1);
    const [single] = addBias.run([x, bias], { alpha: 1 });
    expect(Array.from(split!.toTypedArray())).toEqual(Array.from(single!.toTypedArray()));
  });

  it('runs the js reference on copies where the backend has no host memory', () => {
    const js = createJsBackend({ name: 'js-no-host-view' });
    let downloads = 0;
    const remote: Backend = {
      ...js,
      kind: 'remote',
      hostView: undefined,
      download: (data, dtype, length) => {
        downloads++;
        return js.download(data as never, dtype, length);
      },
    };
    registerBackend(remote);
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { backend: 'js-no-host-view' },
    );
    const bias = tensor([10, 20], { backend: 'js-no-host-view' });
    const [y] = addBias.run([x, bias], { alpha: 1 });
    expect(y!.backend).toBe('js-no-host-view');
    expect(y!.toArray()).toEqual([
      [11, 22],
      [13, 24],
    ]);
    expect(downloads).toBeGreaterThan(0);
  });

  it('uses an implementation registered by name for its backend kind', () => {
    const js = createJsBackend({ name: 'js-special' });
    registerBackend({ ...js, kind: 'special' });
    let called = 0;
    registerKernelImplementation<{ alpha: number }>(
      'test.addBias',
      'special',
      ({ outputs, backend }) => {
        called++;
        (backend.hostView!(outputs[0]!.data, 'float32', 4) as Float32Array).fill(42);
        return true;
      },
    );
    const [y] = addBias.run(
      [
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { backend: 'js-special' },
        ),
        tensor([0, 0], { backend: 'js-special' }),
      ],
      { alpha: 1 },
    );
    expect(called).toBe(1);
    expect(y!.toArray()).toEqual([
      [42, 42],
      [42, 42],
    ]);
  });

  it('records the gradient rule: finite differences agree in float64 on js and wasm', () => {
    for (const backend of listBackends().filter((b) => b === 'js' || b === 'wasm')) {
      const g = new Generator(4);
      const x = randn([3, 4], { generator: g, dtype: 'float64', backend, requiresGrad: true });
      const bias = randn([4], { generator: g, dtype: 'float64', backend, requiresGrad: true });
      const result = gradcheck((a, b) => addBias.run([a!, b!], { alpha: 0.5 })[0]!, [x, bias]);
      expect(result.passed, JSON.stringify(result.failures)).toBe(true);
    }
  });

  it('gives each differentiable output its own rule', () => {
    const split = defineKernel<Record<string, never>>({
      name: 'test.split',
      inputs: [{ name: 'x', dtypes: ['float64'] }],
      outputs: ([x]) => [
        { shape: x!.shape, dtype: 'float64' },
        { shape: x!.shape, dtype: 'float64' },
      ],
      // out0 = 2x, out1 = x^2
      gradient: (grad, { inputs: [x], output }) => [
        output === 0 ? grad.mul(2) : grad.mul(x!).mul(2),
      ],
      js: ({ inputs: [x], outputs: [a, b] }) => {
        for (let i = 0; i < x!.data.length; i++) {
          a!.data[i] = 2 * x!.data[i]!;
          b!.data[i] = x!.data[i]! ** 2;
        }
      },
    });
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const [a, b] = split.run([x], {});
    a!.sum().add(b!.sum()).backward();
    expect(Array.from(x.grad!.toTypedArray())).toEqual([4, 6, 8]); // 2 + 2x
  });

  it('registers by name on the first run and refuses a second kernel of the same name', () => {
    expect(getKernel('test.addBias')).toBe(addBias);
    expect(listKernels()).toContain('test.addBias');
    expect(runKernel('test.addBias', [tensor([1]), tensor([2])], { alpha: 1 })[0]!.item()).toBe(3);
    const twin = defineKernel({ ...addBias.descriptor });
    expect(() => registerKernel(twin)).toThrow(
      /a different kernel is already registered as test\.addBias/,
    );
    expect(() => runKernel('test.missing', [], {})).toThrow(KernelError);
  });

  it('rejects bad calls with clear errors', () => {
    const x = tensor([[1, 2]]);
    expect(() => addBias.run([x], { alpha: 1 })).toThrow(/takes 2 inputs \(x, bias\), got 1/);
    expect(() => addBias.run([x, null], { alpha: 1 })).toThrow(/input bias is required/);
    expect(() =>
      addBias.run([tensor([[1, 2]], { dtype: 'int32' }), tensor([1, 2])], { alpha: 1 }),
    ).toThrow(DTypeError);
    expect(() => addBias.run([x, tensor([1, 2, 3])], { alpha: 1 })).toThrow(
      /bias \[3\] does not fit x \[1,2\]/,
    );
    if (listBackends().includes('wasm'))
      expect(() =>
        addBias.run([x.toBackend('js'), tensor([1, 2], { backend: 'wasm' })], { alpha: 1 }),
      ).toThrow(BackendError);
    expect(() =>
      defineKernel({ name: 'test.bad', inputs: [], outputs: () => [] } as never),
    ).toThrow(/needs a js reference implementation/);
    const empty = defineKernel({
      name: 'test.empty',
      inputs: [],
      outputs: () => [],
      js: () => undefined,
    });
    expect(() => empty.run([], {})).toThrow(/outputs\(\) must return at least one/);
  });
});
