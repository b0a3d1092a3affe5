import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat32, float32ToBFloat16 } from './bfloat16.js';
import { InvalidArgumentError, LengthMismatchError } from './errors.js';
import { float32ToFloat16, fromFloat16Bits } from './float16.js';
import { GradScaler } from './grad-scaler.js';
import { MasterWeights } from './master-weights.js';

describe('MasterWeights', () => {
  it('keeps updates smaller than half a float16 ULP (the documented example)', () => {
    const half = [float32ToFloat16(new Float32Array([1, 2]))];
    const master = new MasterWeights(half);
    master.params[0]![0]! += 2 ** -12;
    master.syncToHalf();
    expect(fromFloat16Bits(half[0]![0]!)).toBe(1);
    expect(master.params[0]![0]).toBe(1.000244140625);
    // Four such updates add up to one float16 ULP, which the 16-bit copy then shows.
    for (let i = 0; i < 3; i++) master.params[0]![0]! += 2 ** -12;
    master.syncToHalf();
    expect(fromFloat16Bits(half[0]![0]!)).toBe(1 + 2 ** -10);
  });

  it('SGD with master weights converges where pure float16 updates stall', () => {
    // Minimise (w - 1.001)^2 from w = 1 with a tiny learning rate.
    const target = 1.001;
    const lr = 0.01;
    const steps = 2000;
    const master = MasterWeights.fromFloat32([new Float32Array([1])]);
    let pure = float32ToFloat16(new Float32Array([1]));
    for (let i = 0; i < steps; i++) {
      const w = master.params[0]![0]!;
      master.grads[0]![0] = 2 * (w - target);
      master.params[0]![0] = w - lr * master.grads[0]![0]!;
      master.syncToHalf();
      const p = fromFloat16Bits(pure[0]!);
      pure = float32ToFloat16(new Float32Array([p - lr * 2 * (p - target)]));
    }
    expect(Math.abs(master.params[0]![0]! - target)).toBeLessThan(1e-5);
    expect(fromFloat16Bits(pure[0]!)).toBe(1); // each update is below half an ULP: rounds away
  });

  it('decodes 16-bit gradients and works with GradScaler', () => {
    const master = MasterWeights.fromFloat32([new Float32Array([0.5, -0.25])], {
      format: 'bfloat16',
    });
    expect(master.format).toBe('bfloat16');
    const scaler = new GradScaler({ initScale: 1024 });
    const halfGrads = [float32ToBFloat16(new Float32Array([1024, 2048]))];
    master.loadGrads(halfGrads);
    expect(Array.from(master.grads[0]!)).toEqual([1024, 2048]);
    const result = scaler.step(master.grads, () => {
      master.params[0]!.forEach((w, i) => {
        master.params[0]![i] = w - 0.125 * master.grads[0]![i]!;
      });
    });
    expect(result.stepped).toBe(true);
    master.syncToHalf();
    expect(Array.from(bfloat16ToFloat32(master.half[0]!))).toEqual([0.375, -0.5]);
    master.half[0]![0] = 0x3f80;
    master.syncFromHalf();
    expect(master.params[0]![0]).toBe(1);
  });

  it('rounds stochastically when asked, reproducibly', () => {
    const run = () => {
      const master = MasterWeights.fromFloat32([new Float32Array(1000).fill(1)], {
        rounding: 'stochastic',
        seed: 5,
      });
      master.params[0]!.fill(1 + 2 ** -12);
      master.syncToHalf();
      return Array.from(master.half[0]!);
    };
    const codes = run();
    expect(codes).toEqual(run());
    const ups = codes.filter((c) => c === 0x3c01).length;
    expect(ups).toBeGreaterThan(180);
    expect(ups).toBeLessThan(320);
  });

  it('validates its arguments', () => {
    expect(() => new MasterWeights([new Float32Array(2)] as never)).toThrow(InvalidArgumentError);
    expect(() => new MasterWeights([], { format: 'float8e4m3' as never })).toThrow(
      InvalidArgumentError,
    );
    expect(() => new MasterWeights([], { rounding: 'stochastic' })).toThrow(InvalidArgumentError);
    const master = new MasterWeights([new Uint16Array(2)]);
    expect(() => master.loadGrads([new Uint16Array(3)])).toThrow(LengthMismatchError);
    expect(() => master.loadGrads([])).toThrow(InvalidArgumentError);
  });
});
