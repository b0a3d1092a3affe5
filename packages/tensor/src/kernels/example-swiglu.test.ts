/**
 * The worked example of the README's "Extension kernels" section, run as
 * written: a fused SwiGLU, out = silu(a) * b, as a package would add it: a
 * WAT module on the shared library (here compiled in the test; a package
 * lists it in its `wasm/modules.ts` and `npm run generate` writes it), a js
 * reference, a wasm implementation split by rows across the core's threads,
 * and a gradient rule composed of tensor ops. Checked against the
 * composition silu(a) * b, forward and backward, on every backend.
 */
import { describe, expect, it } from 'vitest';
import { compileModule } from '../../../../scripts/wasm/generate.js';
import {
  coreImports,
  get,
  locals,
  MATH_LOCALS,
  set,
  vsigmoid,
  type WasmVariant,
} from '../../../../scripts/wasm/index.js';
import { gradcheck } from '../autograd/gradcheck.js';
import { listBackends } from '../backend/registry.js';
import type { WasmModuleSource } from '../backends/wasm/modules.js';
import { randn } from '../ops/creation.js';
import { Generator } from '../random.js';
import { defineKernel } from './kernel.js';

// --- wasm/modules.ts of the package: rows [r0, r1) of out = a * sigmoid(a) * b (cols % 4 == 0)
const swigluWat = (variant: WasmVariant) => `(module
  ${coreImports(variant)}
  (func (export "swiglu_rows") (param $a i32) (param $b i32) (param $out i32) (param $cols i32)
    (param $r0 i32) (param $r1 i32)
    (local $at i32) (local $end i32) (local $x v128) (local $s v128) ${locals('v128', ...MATH_LOCALS)}
    ${set('at', `(i32.shl (i32.mul ${get('r0')} ${get('cols')}) (i32.const 2))`)}
    ${set('end', `(i32.shl (i32.mul ${get('r1')} ${get('cols')}) (i32.const 2))`)}
    (block $done (loop $next
      (br_if $done (i32.ge_u ${get('at')} ${get('end')}))
      ${set('x', `(v128.load (i32.add ${get('a')} ${get('at')}))`)}
      ${vsigmoid('s', get('x'), { fma: variant.fma })}
      (v128.store (i32.add ${get('out')} ${get('at')})
        (f32x4.mul (f32x4.mul ${get('x')} ${get('s')}) (v128.load (i32.add ${get('b')} ${get('at')}))))
      ${set('at', `(i32.add ${get('at')} (i32.const 16))`)}
      (br $next)))))`;

async function generated(): Promise<WasmModuleSource> {
  const bytes = await compileModule({
    name: 'example.swiglu',
    kind: 'core',
    target: 'src/generated/example.ts',
    exportName: 'SWIGLU_WASM',
    description: 'example',
    wat: swigluWat,
  });
  return {
    name: 'example.swiglu',
    variants: Object.fromEntries(
      Object.entries(bytes).map(([name, b]) => [name, Buffer.from(b).toString('base64')]),
    ),
  };
}

describe('the README example: a fused SwiGLU kernel', async () => {
  const SWIGLU_WASM = await generated();

  // --- src/swiglu.ts of the package
  const swiglu = defineKernel<Record<string, never>>({
    name: 'example.swiglu',
    inputs: [
      { name: 'a', dtypes: ['float32', 'float64'] },
      { name: 'b', dtypes: ['float32', 'float64'] },
    ],
    outputs: ([a, b]) => {
      if (a!.shape.join() !== b!.shape.join()) throw new Error('a and b differ in shape');
      return [{ shape: a!.shape, dtype: a!.dtype }];
    },
    // d/da = b (s + a s (1 - s)), d/db = a s, with s = sigmoid(a)
    gradient: (grad, { inputs: [a, b] }) => {
      const s = a!.sigmoid();
      const ds = s.mul(s.neg().add(1)).mul(a!).add(s);
      return [grad.mul(b!).mul(ds), grad.mul(a!).mul(s)];
    },
    js: ({ inputs: [a, b], outputs: [out] }) => {
      for (let i = 0; i < out!.data.length; i++) {
        const x = a!.data[i]!;
        out!.data[i] = (x / (1 + Math.exp(-x))) * b!.data[i]!;
      }
    },
    wasm: {
      module: SWIGLU_WASM,
      run: ({ inputs: [a, b], outputs: [out], wasm }) => {
        const cols = a!.shape.at(-1) ?? 1;
        if (a!.dtype !== 'float32' || cols % 4 !== 0) return false; // the js reference runs
        const rows = a!.size / cols;
        wasm.parallel('swiglu_rows', { units: rows, work: a!.size * 20 }, (part) => [
          a!.address,
          b!.address,
          out!.address,
          cols,
          part.start,
          part.end,
        ]);
        return true;
      },
    },
  });

  it.each(listBackends())('equals silu(a) * b on %s, forward and backward', (backend) => {
    const g = new Generator(5);
    const a = randn([64, 48], { generator: g, backend, requiresGrad: true });
    const b = randn([64, 48], { generator: g, backend, requiresGrad: true });
    const [fused] = swiglu.run([a, b], {});
    fused!.mul(fused!).sum().backward();
    const [ga, gb] = [a.grad!.toTypedArray(), b.grad!.toTypedArray()];
    a.grad = null;
    b.grad = null;
    const composed = a.silu().mul(b);
    composed.mul(composed).sum().backward();
    const pairs = [
      [fused!.toTypedArray(), composed.toTypedArray()],
      [ga, a.grad!.toTypedArray()],
      [gb, b.grad!.toTypedArray()],
    ] as const;
    for (const [mine, reference] of pairs)
      for (let i = 0; i < reference.length; i++)
        expect(Math.abs(mine[i]! - reference[i]!)).toBeLessThanOrEqual(
          1e-5 * (1 + Math.abs(reference[i]!)),
        );
    if (backend === 'wasm') expect(swiglu.calls.wasm).toBeGreaterThan(0);
  });

  it('passes gradcheck in float64', () => {
    const g = new Generator(6);
    const a = randn([3, 4], { generator: g, dtype: 'float64', requiresGrad: true });
    const b = randn([3, 4], { generator: g, dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x, y) => swiglu.run([x!, y!], {})[0]!, [a, b]).passed).toBe(true);
  });
});
