/**
 * Every variant of the skinny-product module (plain SIMD mul + add or
 * relaxed-SIMD FMA, shared or unshared memory) computes `project` for every
 * format: the module instantiated alone on a fresh memory, called directly
 * on panels from `packWeights`, checked against the js reference. The
 * backend itself runs only the variant its runtime picked.
 */
import { describe, expect, it } from 'vitest';
import { SKINNY_WASM } from '../backends/wasm/generated/skinny.js';
import { wasmRuntime } from '../backends/wasm/loader.js';
import { tensor } from '../ops/creation.js';
import { Generator } from '../random.js';
import { type PackedFormat, packWeights } from './pack-weights.js';
import { project } from './project.js';

const FUNCTIONS = { f32: 'skinny_f32', bf16: 'skinny_bf16', f16: 'skinny_f16', int8: 'skinny_i8' };

function run(variant: keyof typeof SKINNY_WASM.variants, format: PackedFormat, M: number) {
  const [K, N] = [77, 41];
  const g = new Generator(M + K);
  const x = Float32Array.from({ length: M * K }, () => g.uniform() * 2 - 1);
  const w = Float32Array.from({ length: K * N }, () => g.uniform() * 2 - 1);
  const bias = Float32Array.from({ length: N }, () => g.uniform());
  const packed = packWeights(tensor(w, { shape: [K, N], backend: 'js' }), { format });
  const bytes = Uint8Array.from(atob(SKINNY_WASM.variants[variant]), (c) => c.charCodeAt(0));
  const shared = variant.endsWith('Shared');
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
  const call = instance.exports[FUNCTIONS[format]] as (...args: number[]) => void;
  const u8 = new Uint8Array(memory.buffer);
  const [xAt, yAt, biasAt, tmpAt, wAt] = [1024, 65536, 131072, 196608, 1 << 20];
  u8.set(new Uint8Array(x.buffer), xAt);
  u8.set(new Uint8Array(bias.buffer), biasAt);
  const data = new Uint8Array(packed.data.buffer, packed.data.byteOffset, packed.data.byteLength);
  u8.set(data, wAt);
  const scalesAt = wAt + data.byteLength;
  if (packed.scales) u8.set(new Uint8Array(packed.scales.buffer), scalesAt);
  const group = format === 'int8' ? packed.groupSize : K;
  call(xAt, K * 4, M, K, wAt, 0, packed.panels, yAt, N * 4, N, biasAt, tmpAt, scalesAt, group);
  const got = new Float32Array(memory.buffer, yAt, M * N);
  const want = project(
    tensor(x, { shape: [M, K], backend: 'js' }),
    packed,
    tensor(bias, { backend: 'js' }),
  ).toTypedArray();
  for (let i = 0; i < M * N; i++)
    expect(Math.abs(got[i]! - want[i]!), `${variant} ${format} M=${M} at ${i}`).toBeLessThan(1e-4);
}

describe('skinny-product module variants', () => {
  it.each(['plain', 'plainShared', 'fma', 'fmaShared'] as const)(
    '%s computes every format for 1, 2, 3 and 5 rows',
    (variant) => {
      if (variant.startsWith('fma') && !wasmRuntime().fma) return; // hosts without relaxed SIMD
      for (const format of ['f32', 'bf16', 'f16', 'int8'] as const)
        for (const M of [1, 2, 3, 5]) run(variant, format, M);
    },
  );
});
