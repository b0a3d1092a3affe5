import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, StateError } from './errors.js';
import { GradScaler } from './grad-scaler.js';

describe('GradScaler', () => {
  it('has PyTorch defaults', () => {
    const scaler = new GradScaler();
    expect(scaler.scale).toBe(65536);
    expect(scaler.growthFactor).toBe(2);
    expect(scaler.backoffFactor).toBe(0.5);
    expect(scaler.growthInterval).toBe(2000);
    expect(scaler.stateDict()).toEqual({
      scale: 65536,
      growth_factor: 2,
      backoff_factor: 0.5,
      growth_interval: 2000,
      _growth_tracker: 0,
    });
    expect(scaler.scaleValue(0.5)).toBe(32768);
  });

  it('unscales in place with 1/scale rounded to float32, and detects inf and NaN', () => {
    const scaler = new GradScaler({ initScale: 3 });
    const grads = [new Float32Array([3, 6, 1]), new Float64Array([9])];
    expect(scaler.unscale(grads)).toEqual({ foundInf: false });
    const inverse = Math.fround(1 / Math.fround(3));
    expect(Array.from(grads[0]!)).toEqual([3, 6, 1].map((g) => Math.fround(g * inverse)));
    expect(grads[1]![0]).toBe(9 * inverse);
    scaler.update();
    expect(scaler.unscale([new Float32Array([1, Number.NaN])]).foundInf).toBe(true);
    scaler.update();
    expect(scaler.unscale([new Float64Array([Number.NEGATIVE_INFINITY])]).foundInf).toBe(true);
  });

  it('skips the optimizer step on overflow, backs off, and grows after growthInterval clean steps', () => {
    const scaler = new GradScaler({ initScale: 1024, growthInterval: 3 });
    let applied = 0;
    const apply = () => {
      applied++;
    };
    const clean = () => [new Float32Array([1024, -2048])];
    const overflow = () => [new Float32Array([Number.POSITIVE_INFINITY])];
    expect(scaler.step(overflow(), apply)).toEqual({ stepped: false, foundInf: true });
    scaler.update();
    expect(applied).toBe(0);
    expect(scaler.scale).toBe(512);
    for (let i = 0; i < 2; i++) {
      expect(scaler.step(clean(), apply).stepped).toBe(true);
      scaler.update();
      expect(scaler.scale).toBe(512);
    }
    expect(scaler.growthTracker).toBe(2);
    scaler.step(clean(), apply);
    scaler.update();
    expect(scaler.scale).toBe(1024);
    expect(scaler.growthTracker).toBe(0);
    expect(applied).toBe(3);
  });

  it('follows the PyTorch trajectory on a scripted overflow pattern', () => {
    // _amp_update_scale_: on inf scale *= backoff, tracker = 0; else tracker += 1,
    // and when tracker == interval: scale *= growth (if finite), tracker = 0.
    const pattern = [false, true, false, false, false, false, true, true, false, false, false];
    const scaler = new GradScaler({
      initScale: 8,
      growthInterval: 2,
      growthFactor: 3,
      backoffFactor: 0.25,
    });
    const trajectory: number[] = [];
    for (const inf of pattern) {
      scaler.update(inf);
      trajectory.push(scaler.scale);
    }
    expect(trajectory).toEqual([8, 2, 2, 6, 6, 18, 4.5, 1.125, 1.125, 3.375, 3.375]);
  });

  it('does not grow past the float32 range', () => {
    const scaler = new GradScaler({ initScale: 2 ** 127, growthInterval: 1 });
    scaler.update(false);
    expect(scaler.scale).toBe(2 ** 127);
  });

  it('unscale before clipping, then step without unscaling twice', () => {
    const scaler = new GradScaler({ initScale: 4 });
    const grads = [new Float32Array([8])];
    scaler.unscale(grads);
    grads[0]![0] = Math.min(grads[0]![0]!, 1); // clip
    scaler.step(grads, () => {});
    expect(grads[0]![0]).toBe(1);
    expect(() => scaler.unscale(grads)).toThrow(StateError);
    expect(() => scaler.step(grads, () => {})).toThrow(StateError);
    scaler.update();
    scaler.unscale(grads);
    expect(() => scaler.unscale(grads)).toThrow(
      'GradScaler.unscale: unscale() was already called this iteration (stage unscaled); call update() first',
    );
  });

  it('requires an inf check before update', () => {
    const scaler = new GradScaler();
    expect(() => scaler.update()).toThrow(StateError);
  });

  it('saves and restores its state, also from PyTorch field names', () => {
    const a = new GradScaler({ initScale: 256, growthInterval: 5 });
    a.update(false);
    a.update(false);
    const saved = JSON.parse(JSON.stringify(a.stateDict()));
    const b = new GradScaler();
    b.loadStateDict(saved);
    expect(b.scale).toBe(256);
    expect(b.growthTracker).toBe(2);
    expect(b.growthInterval).toBe(5);
    expect(b.stateDict()).toEqual(a.stateDict());
    expect(() => b.loadStateDict({} as never)).toThrow(InvalidArgumentError);
    expect(() => b.loadStateDict({ ...saved, growth_factor: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => b.loadStateDict({ ...saved, _growth_tracker: -1 })).toThrow(InvalidArgumentError);
  });

  it('is a pass-through when disabled', () => {
    const scaler = new GradScaler({ enabled: false });
    const grads = [new Float32Array([Number.POSITIVE_INFINITY])];
    expect(scaler.scale).toBe(1);
    expect(scaler.scaleValue(3)).toBe(3);
    expect(scaler.unscale(grads)).toEqual({ foundInf: false });
    let applied = false;
    scaler.step(grads, () => {
      applied = true;
    });
    scaler.update();
    expect(applied).toBe(true);
    expect(scaler.stateDict()).toEqual({});
  });

  it('validates its options', () => {
    expect(() => new GradScaler({ initScale: 0 })).toThrow(
      'GradScaler: initScale must be a finite number > 0, got 0',
    );
    expect(() => new GradScaler({ growthFactor: 1 })).toThrow(InvalidArgumentError);
    expect(() => new GradScaler({ backoffFactor: 1 })).toThrow(InvalidArgumentError);
    expect(() => new GradScaler({ growthInterval: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => new GradScaler({ enabled: 1 as never })).toThrow(InvalidArgumentError);
    const scaler = new GradScaler();
    expect(() => scaler.unscale([[1, 2]] as never)).toThrow(InvalidArgumentError);
    expect(() => scaler.step([], 'x' as never)).toThrow(InvalidArgumentError);
  });
});
