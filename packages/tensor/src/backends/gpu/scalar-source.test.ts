import { describe, expect, it } from 'vitest';
import { unarySource } from './scalar-source.js';

/** Runs an op's kernel statements as plain JavaScript (float64), outside gpu.js. */
function evaluate(op: 'sin' | 'cos', v: number): number {
  const body = `let r = 0.0;\n${unarySource(op).join('\n')}\nreturn r;`;
  return new Function('v', body)(v) as number;
}

describe('gpu kernel source: sin and cos without the GLSL built-ins', () => {
  it('match Math.sin / Math.cos over [-1000, 1000] (reduction, quadrants and signs)', () => {
    let worst = 0;
    for (let i = 0; i <= 200_000; i++) {
      const v = -1000 + i * 0.01 + 1e-4 * Math.sin(i); // not on a grid of pi/2
      worst = Math.max(
        worst,
        Math.abs(evaluate('sin', v) - Math.sin(v)),
        Math.abs(evaluate('cos', v) - Math.cos(v)),
      );
    }
    // the series' truncation at |t| = pi/4 bounds the error: t^10 / 10! < 3e-8
    expect(worst).toBeLessThan(3e-8);
  });

  it('give NaN for NaN and infinities, and keep the sign of zero in sin', () => {
    for (const op of ['sin', 'cos'] as const) {
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        expect(evaluate(op, v)).toBeNaN();
      }
    }
    expect(Object.is(evaluate('sin', -0), -0)).toBe(true);
    expect(evaluate('cos', 0)).toBe(1);
  });
});
