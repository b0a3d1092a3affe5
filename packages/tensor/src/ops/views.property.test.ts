import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tensor } from '../index.js';

/** Row-major nested array of `shape` whose entries are their flat index. */
function iota(shape: number[]): unknown {
  let counter = 0;
  const build = (axis: number): unknown =>
    axis === shape.length ? counter++ : Array.from({ length: shape[axis]! }, () => build(axis + 1));
  return build(0);
}

/** Independent oracle: element at multi-index `index` of a nested array. */
const get = (nested: unknown, index: number[]): number =>
  index.reduce((a: unknown, i) => (a as unknown[])[i], nested) as number;

/** All multi-indices of a shape in row-major order. */
function indices(shape: number[]): number[][] {
  const out: number[][] = [[]];
  for (const extent of shape) {
    const next: number[][] = [];
    for (const prefix of out) for (let i = 0; i < extent; i++) next.push([...prefix, i]);
    out.splice(0, out.length, ...next);
  }
  return out;
}

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

describe('views (property tests against index arithmetic)', () => {
  it('permute then slice then read back matches the oracle', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            order: fc.shuffledSubarray(
              shape.map((_, i) => i),
              { minLength: shape.length, maxLength: shape.length },
            ),
            starts: fc.tuple(...shape.map((e) => fc.integer({ min: 0, max: e - 1 }))),
            steps: fc.tuple(...shape.map(() => fc.integer({ min: 1, max: 2 }))),
          }),
        ),
        ({ shape, order, starts, steps }) => {
          const nested = iota(shape);
          const base = tensor(nested as number[]);
          const permuted = base.permute(order);
          const pshape = order.map((a) => shape[a]!);
          const view = permuted.slice(
            ...pshape.map((_, d) => [starts[order[d]!]! % pshape[d]!, null, steps[d]!] as const),
          );
          expect(view.storage).toBe(base.storage);
          const got = view.toTypedArray();
          const vshape = view.shape as number[];
          indices(vshape).forEach((vi, k) => {
            // view index -> permuted index -> base index
            const pi = vi.map((v, d) => (starts[order[d]!]! % pshape[d]!) + v * steps[d]!);
            const bi = new Array<number>(shape.length);
            order.forEach((a, d) => {
              bi[a] = pi[d]!;
            });
            expect(got[k]).toBe(get(nested, bi));
          });
          // reshape to flat and back round-trips, as a view when contiguous, a copy otherwise
          expect(view.reshape(-1).toArray()).toEqual([...got]);
          expect(view.flip(0).flip(0).toTypedArray()).toEqual(got);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reshape of a contiguous tensor is a view with row-major semantics for any factorization', () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, (a, b) => {
        const size = a.reduce((p, e) => p * e, 1);
        const t = tensor(iota(a) as number[]);
        const target = [...b.slice(0, -1), -1];
        const known = b.slice(0, -1).reduce((p, e) => p * e, 1);
        if (size % known !== 0) return;
        const r = t.reshape(target);
        expect(r.storage).toBe(t.storage);
        expect([...r.toTypedArray()]).toEqual(Array.from({ length: size }, (_, i) => i));
      }),
      { numRuns: 200 },
    );
  });
});
