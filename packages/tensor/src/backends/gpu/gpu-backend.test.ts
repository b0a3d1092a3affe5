/**
 * The gpu backend beyond the conformance suite: gradients against the js
 * backend, device residency, kernel caching, in-place writes, long
 * reductions, texture leaks in a training step, dtype support, and `auto`
 * selection. Runs on gpu.js's `cpu` mode (the same generated kernel sources)
 * and, where headless-gl loads (under `xvfb-run -a`), on its GLSL path too.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  AdamW,
  crossEntropy,
  DTypeError,
  getBackend,
  Linear,
  Module,
  manualSeed,
  memory,
  randn,
  registerBackend,
  reverseCumsum,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '../../index.js';
import { compare, drawInput, inputDType, makeInput, OP_CASES } from '../../test/index.js';
import {
  createGpuBackend,
  type GpuBackend,
  headlessGlUnavailable,
  registerGpuBackend,
} from './index.js';
import { GpuRuntime } from './runtime.js';

const gpu = createGpuBackend({ mode: 'cpu', name: 'gpu-test' });
registerBackend(gpu, { priority: -1 });
const instances: Record<string, GpuBackend> = { 'gpu-test': gpu };
if (headlessGlUnavailable() === null) {
  instances['gpu-test-gl'] = createGpuBackend({ mode: 'headlessgl', name: 'gpu-test-gl' });
  registerBackend(instances['gpu-test-gl'], { priority: -1 });
}
const backends = Object.keys(instances);

/** Runs a case with float32 inputs on `backend` and returns the gradients of sum(out * weights). */
function gradients(c: (typeof OP_CASES)[number], backend: string): Float32Array[] {
  const inputs = c.inputs.map((spec, i) => {
    const t = makeInput(
      drawInput(spec, 300 + i),
      spec.shape,
      inputDType(spec, 'float32'),
      'contiguous',
      backend,
    );
    if (t.dtype === 'float32') t.requiresGrad = true;
    return t;
  });
  const out = c.run(...inputs);
  const weights = tensor(drawInput({ shape: out.shape }, 99), {
    shape: out.shape,
    dtype: 'float32',
    backend,
  });
  out.mul(weights).sum().backward();
  return inputs.filter((t) => t.requiresGrad).map((t) => t.grad!.toTypedArray() as Float32Array);
}

describe.each(backends)(
  'gradients on %s match the js backend (float32, tolerance 1e-4)',
  (name) => {
    for (const c of OP_CASES) {
      if (c.grad === false) continue;
      it(c.name, () => {
        const expected = gradients(c, 'js');
        const actual = gradients(c, name);
        expect(actual.length).toBe(expected.length);
        actual.forEach((grad, i) => {
          const reference = { shape: [grad.length], data: Float64Array.from(expected[i]!) };
          const result = compare(grad, reference, 1e-4);
          expect(
            result.ok,
            `${c.name} input ${i}: element ${result.at}, error ${result.worst}`,
          ).toBe(true);
        });
      });
    }
  },
);

describe.each(backends)('device residency and kernels on %s', (name) => {
  it('reads nothing back between ops, only at item()', () => {
    const read = vi.spyOn(GpuRuntime.prototype, 'read');
    const x = randn([8, 16], { backend: name });
    const w = randn([16, 4], { backend: name });
    const y = x.matmul(w).relu().add(1).softmax(-1).sum();
    expect(read).not.toHaveBeenCalled();
    const value = y.item();
    expect(read).toHaveBeenCalledTimes(1);
    expect(value).toBeCloseTo(8, 4);
    read.mockRestore();
  });

  it('compiles each kernel once per op and layout', () => {
    const step = () =>
      tidy(() =>
        randn([4, 6], { backend: 'gpu-test' })
          .matmul(randn([6, 3], { backend: 'gpu-test' }))
          .tanh()
          .sum()
          .item(),
      );
    step();
    const compiled = gpu.compiledKernels();
    step();
    step();
    expect(gpu.compiledKernels()).toBe(compiled);
  });

  it('evicting compiled kernels from a full cache leaves earlier results intact', () => {
    const small = createGpuBackend({
      mode: instances[name]!.mode,
      name: `${name}-small`,
      maxKernels: 2,
    });
    registerBackend(small, { priority: -1 });
    const x = tensor([1, 2, 3, 4], { backend: small.name });
    const outputs = [x.exp(), x.sqrt(), x.neg(), x.square(), x.exp()];
    const expected = [x.exp(), x.sqrt(), x.neg(), x.square(), x.exp()].map((t) => t.toArray());
    expect(outputs.map((t) => t.toArray())).toEqual(expected);
    const reference = tensor([1, 2, 3, 4], { backend: 'js' });
    const jsValues = [
      reference.exp(),
      reference.sqrt(),
      reference.neg(),
      reference.square(),
      reference.exp(),
    ];
    outputs.forEach((t, i) => {
      const ref = { shape: [4], data: Float64Array.from(jsValues[i]!.toTypedArray()) };
      expect(compare(t.toTypedArray(), ref, 1e-6).ok).toBe(true);
    });
    expect(small.compiledKernels()).toBeGreaterThan(4);
  });

  it('assign writes views in place (slices, transposes, flips)', () => {
    const base = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { backend: 'gpu-test' },
    );
    const reference = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { backend: 'js' },
    );
    for (const t of [base, reference]) {
      t.slice(null, [1, null]).flip(1).transpose(0, 1).add_(10);
    }
    expect(base.toArray()).toEqual(reference.toArray());
  });

  it('chains of the same kernel on its own outputs stay correct', () => {
    let x = tensor([0.5, -1, 2], { backend: name });
    let y = tensor([0.5, -1, 2], { backend: 'js' });
    for (let i = 0; i < 4; i++) {
      const [nx, ny] = [x.tanh(), y.tanh()];
      x.dispose();
      y.dispose();
      [x, y] = [nx, ny];
    }
    const result = compare(
      x.toTypedArray(),
      { shape: [3], data: Float64Array.from(y.toTypedArray()) },
      1e-6,
    );
    expect(result.ok).toBe(true);
  });

  it('softmax and logSoftmax of masked lines (-Infinity first, and a fully masked line) match js', () => {
    const values = drawInput({ shape: [5, 4] }, 8);
    const mask = [
      [1, 0, 0, 0],
      [1, 1, 0, 0],
      [1, 1, 1, 0],
      [0, 1, 0, 1],
      [1, 1, 1, 1],
    ];
    const run = (backend: string) => {
      const x = tensor(values, { shape: [5, 4], dtype: 'float32', backend });
      const masked = x.maskedFill(
        tensor(mask, { dtype: 'bool', backend }),
        Number.NEGATIVE_INFINITY,
      );
      return [masked.softmax(-1), masked.logSoftmax(-1), masked.softmax(0)];
    };
    const expected = run('js');
    run(name).forEach((actual, i) => {
      const reference = { shape: [20], data: Float64Array.from(expected[i]!.toTypedArray()) };
      const result = compare(actual.toTypedArray(), reference, 1e-6);
      expect(result.ok, `output ${i}: element ${result.at}`).toBe(true);
    });
  });

  it('long cumulative sums (log-step scan passes) match the js backend, both directions', () => {
    const values = drawInput({ shape: [2, 300, 3] }, 11);
    for (const reverse of [false, true]) {
      const run = (backend: string) => {
        const x = tensor(values, { shape: [2, 300, 3], dtype: 'float32', backend });
        return reverse ? reverseCumsum(x.transpose(0, 2), 1) : x.transpose(0, 2).cumsum(1);
      };
      const expected = run('js');
      const reference = { shape: expected.shape, data: Float64Array.from(expected.toTypedArray()) };
      const result = compare(run(name).toTypedArray(), reference, 1e-5);
      expect(result.ok, `reverse ${reverse}: element ${result.at}, error ${result.worst}`).toBe(
        true,
      );
    }
  });

  it('long reductions (two passes) match the js backend, NaN included', () => {
    const values = drawInput({ shape: [3, 5000] }, 5);
    values[7000] = Number.NaN;
    for (const run of [
      (t: Tensor) => t.sum(),
      (t: Tensor) => t.sum(1),
      (t: Tensor) => t.max(1),
      (t: Tensor) => t.min(),
      (t: Tensor) => t.transpose(0, 1).sum(0),
    ]) {
      const actual = run(tensor(values, { shape: [3, 5000], dtype: 'float32', backend: name }));
      const expected = run(tensor(values, { shape: [3, 5000], dtype: 'float32', backend: 'js' }));
      const reference = { shape: expected.shape, data: Float64Array.from(expected.toTypedArray()) };
      expect(compare(actual.toTypedArray(), reference, 1e-4).ok).toBe(true);
    }
  });
});

class TinyModel extends Module {
  fc1 = new Linear(6, 16);
  fc2 = new Linear(16, 3);
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.fc1.forward(x).gelu());
  }
}

describe.each(backends)('memory on %s', (name) => {
  it('a training step (forward, backward, AdamW step inside tidy) leaks no textures', () => {
    const previous = getBackend().name;
    setBackend(name);
    try {
      manualSeed(3);
      const model = new TinyModel();
      const optimizer = new AdamW(model.parameters(), { lr: 0.01 });
      const x = randn([10, 6]);
      const y = tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], { dtype: 'int32' });
      const step = () =>
        tidy(() => {
          optimizer.zeroGrad();
          const loss = crossEntropy(model.forward(x), y);
          loss.backward();
          optimizer.step();
          return loss.item();
        });
      const first = step(); // creates gradients and optimizer state
      const before = memory(name);
      let last = first;
      for (let i = 0; i < 5; i++) last = step();
      const after = memory(name);
      expect(after.storages).toBe(before.storages);
      expect(after.bytes).toBe(before.bytes);
      expect(last).toBeLessThan(first);
    } finally {
      setBackend(previous);
    }
  });

  it('dispose frees device storage', () => {
    const x = randn([100], { backend: name });
    const before = memory(name).storages;
    const t = x.exp();
    expect(memory(name).storages).toBeGreaterThan(before);
    t.dispose();
    expect(memory(name).storages).toBe(before);
  });
});

describe('gpu backend dtypes and selection', () => {
  it('supports float32, int32 and bool, and refuses float64 / float16 / bfloat16 with DTypeError', () => {
    expect(['float32', 'int32', 'bool'].every((d) => gpu.supportsDType(d as 'float32'))).toBe(true);
    for (const dtype of ['float64', 'float16', 'bfloat16'] as const) {
      expect(gpu.supportsDType(dtype)).toBe(false);
      expect(() => tensor([1, 2], { dtype, backend: 'gpu-test' })).toThrow(DTypeError);
      expect(() => tensor([1, 2], { backend: 'gpu-test' }).to(dtype)).toThrow(/does not support/);
    }
    for (const name of backends) {
      const casts = (backend: string) => {
        const x = tensor([2.7, -2.7, Number.NaN, 0, -0.5], { backend });
        const ints = tensor([7, -3], { dtype: 'int32', backend });
        return [
          x.to('int32').toArray(),
          x.to('bool').toArray(),
          x.to('int32').add(1).toArray(),
          ints.div(2).toArray(),
          ints.mul(3).toArray(),
        ];
      };
      expect(casts(name)).toEqual(casts('js'));
    }
  });

  it('auto does not pick gpu without a hardware GPU', () => {
    const registration = registerGpuBackend();
    if (process.env.XAUTHORITY?.includes('xvfb-run')) {
      // Under Xvfb headless-gl loads but renders with Mesa on the CPU: not a GPU.
      expect(registration.detection).toMatchObject({ mode: 'headlessgl', hardware: false });
      expect(registration.detection.reason).toMatch(/software rasterizer/);
    }
    if (registration.detection.hardware) {
      expect(registration).toMatchObject({ registered: true, priority: 20 });
      expect(setBackend('auto').name).toBe('gpu');
    } else {
      expect(registration.registered).toBe(false);
      expect(setBackend('auto').name).not.toBe('gpu');
    }
    const forced = registerGpuBackend({ force: true, mode: 'cpu', name: 'gpu-forced' });
    expect(forced).toMatchObject({ registered: true, priority: -1 });
    expect(setBackend('auto').name).not.toBe('gpu-forced');
  });
});
