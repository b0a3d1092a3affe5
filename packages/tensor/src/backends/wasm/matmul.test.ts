import { describe, expect, it } from 'vitest';
import { Generator, memory, type Tensor, tensor, tidy } from '../../index.js';

const FLT_EPSILON = 2 ** -23;

function randomValues(n: number, seed: number): Float32Array {
  const g = new Generator(seed);
  return Float32Array.from({ length: n }, () => g.normal());
}

/**
 * Checks a wasm float32 product against a brute-force float64 product of the
 * same (float32) values, element by element, within the classic bound of a
 * float32 dot product of length K: 2 K eps sum_k |a_ik| |b_kj| (Higham,
 * Accuracy and Stability of Numerical Algorithms, 3.1).
 */
function expectProduct(
  out: Tensor,
  a: Float32Array,
  b: Float32Array,
  M: number,
  K: number,
  N: number,
) {
  const got = out.toTypedArray();
  expect(out.shape).toEqual([M, N]);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let exact = 0;
      let magnitude = 0;
      for (let k = 0; k < K; k++) {
        exact += a[i * K + k]! * b[k * N + j]!;
        magnitude += Math.abs(a[i * K + k]! * b[k * N + j]!);
      }
      const error = Math.abs(got[i * N + j]! - exact);
      if (!(error <= 2 * K * FLT_EPSILON * magnitude + 1e-30)) {
        expect.fail(`[${M}x${K}] @ [${K}x${N}] at (${i}, ${j}): ${got[i * N + j]} vs ${exact}`);
      }
    }
  }
}

describe('wasm matmul', () => {
  const sizes = [1, 3, 7, 17, 65, 129];
  it.each(sizes.flatMap((m) => sizes.map((n) => [m, n] as const)))(
    'M = %i, N = %i (K = 33 and K = 300, past one K block)',
    (M, N) => {
      for (const K of [33, 300]) {
        const a = randomValues(M * K, M * 1000 + N);
        const b = randomValues(K * N, N * 1000 + M);
        tidy(() =>
          expectProduct(
            tensor(a, { shape: [M, K], backend: 'wasm' }).matmul(
              tensor(b, { shape: [K, N], backend: 'wasm' }),
            ),
            a,
            b,
            M,
            K,
            N,
          ),
        );
      }
    },
  );

  it('past one row block (M = 261) with K = 1 and K = 513', () => {
    for (const K of [1, 513]) {
      const [M, N] = [261, 19];
      const a = randomValues(M * K, 5);
      const b = randomValues(K * N, 6);
      tidy(() =>
        expectProduct(
          tensor(a, { shape: [M, K], backend: 'wasm' }).matmul(
            tensor(b, { shape: [K, N], backend: 'wasm' }),
          ),
          a,
          b,
          M,
          K,
          N,
        ),
      );
    }
  });

  it('reads transposed and strided views in place', () => {
    const [M, K, N] = [37, 45, 23];
    const a = randomValues(M * K, 7);
    const b = randomValues(K * N, 8);
    tidy(() => {
      // A stored transposed ([K, M] then .transpose()), B interleaved with junk and sliced every second column.
      const at = new Float32Array(M * K);
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) at[k * M + i] = a[i * K + k]!;
      const wide = new Float32Array(K * N * 2).fill(Number.NaN);
      for (let k = 0; k < K; k++)
        for (let j = 0; j < N; j++) wide[k * 2 * N + 2 * j] = b[k * N + j]!;
      const aView = tensor(at, { shape: [K, M], backend: 'wasm' }).transpose();
      const bView = tensor(wide, { shape: [K, 2 * N], backend: 'wasm' }).slice(null, [0, null, 2]);
      expectProduct(aView.matmul(bView), a, b, M, K, N);
    });
  });

  it('batches, with B broadcast over the batch', () => {
    const [B, M, K, N] = [3, 9, 21, 13];
    const a = randomValues(B * M * K, 9);
    const b = randomValues(K * N, 10);
    tidy(() => {
      const out = tensor(a, { shape: [B, M, K], backend: 'wasm' }).matmul(
        tensor(b, { shape: [K, N], backend: 'wasm' }),
      );
      expect(out.shape).toEqual([B, M, N]);
      for (let i = 0; i < B; i++) {
        expectProduct(out.select(0, i), a.subarray(i * M * K, (i + 1) * M * K), b, M, K, N);
      }
    });
  });

  it('gives zeros for K = 0 and empty results for M = 0', () => {
    tidy(() => {
      const z = tensor(new Float32Array(0), { shape: [3, 0], backend: 'wasm' }).matmul(
        tensor(new Float32Array(0), { shape: [0, 4], backend: 'wasm' }),
      );
      expect(z.toArray()).toEqual([
        [0, 0, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]);
      expect(
        tensor(new Float32Array(0), { shape: [0, 2], backend: 'wasm' }).matmul(
          tensor([1, 2, 3, 4], { shape: [2, 2], backend: 'wasm' }),
        ).shape,
      ).toEqual([0, 2]);
    });
  });

  it('frees what it allocates', () => {
    const before = memory('wasm');
    tidy(() => {
      const a = tensor(randomValues(64 * 64, 1), { shape: [64, 64], backend: 'wasm' });
      a.matmul(a).matmul(a);
    });
    expect(memory('wasm').storages).toBe(before.storages);
    expect(memory('wasm').bytes).toBe(before.bytes);
  });
});
