/**
 * `complexDiagonalScan`: the diagonal complex linear recurrence shared by the
 * LRU (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks for Long
 * Sequences", Eq. 6) and S4D's recurrent mode (Gu et al. 2022, "On the
 * Parameterization and Initialization of Diagonal State Space Models"):
 *
 *   h_t = lambda * h_{t-1} + x_t          (complex, elementwise over m)
 *
 * Complex numbers are real tensors with a trailing axis of 2 (re, im), as
 * `torch.view_as_real`. Shapes: lambda [m, 2] (time-invariant), x [b, l, m, 2],
 * h0 [b, m, 2] -> h [b, l, m, 2]. One taped op with a hand-written backward
 * (the reverse scan) for a real loss, with gradients as (d/dre, d/dim) pairs:
 *   G_t = g_t + conj(lambda) G_{t+1},   dx_t = G_t,
 *   dlambda = sum_t G_t conj(h_{t-1}),  dh0 = conj(lambda) G_0.
 */
import { record, type Tensor, tensor } from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkFloat, formatShape } from '../validate.js';

/**
 * Runs h_t = lambda h_{t-1} + x_t over complex values stored as [..., 2].
 * @param lambda - the diagonal `[m, 2]`
 * @param x - inputs `[b, l, m, 2]`
 * @param initialState - h_{-1} `[b, m, 2]`, differentiable. @default zeros
 * @returns every state h `[b, l, m, 2]`
 * @throws SsmShapeError for shapes that do not fit; SsmDTypeError for non-float tensors
 * @example
 * // lambda = i: 1, i, -1, -i, ...
 * complexDiagonalScan(tensor([[0, 1]]), tensor([[[[1, 0]], [[0, 0]], [[0, 0]]]])).toArray()
 * // [[[[1, 0]], [[0, 1]], [[-1, 0]]]]
 */
export function complexDiagonalScan(
  lambda: Tensor,
  x: Tensor,
  initialState: Tensor | null = null,
): Tensor {
  const op = 'complexDiagonalScan';
  checkFloat(op, 'lambda', lambda);
  checkFloat(op, 'x', x);
  if (initialState) checkFloat(op, 'initialState', initialState);
  const m = lambda.shape[0]!;
  const [b, l] = x.shape as [number, number];
  if (
    lambda.rank !== 2 ||
    lambda.shape[1] !== 2 ||
    x.rank !== 4 ||
    x.shape[2] !== m ||
    x.shape[3] !== 2 ||
    (initialState &&
      (initialState.rank !== 3 ||
        initialState.shape[0] !== b ||
        initialState.shape[1] !== m ||
        initialState.shape[2] !== 2))
  ) {
    throw new SsmShapeError(
      op,
      `expects lambda [m, 2], x [b, l, m, 2], initialState [b, m, 2]; got lambda ${formatShape(lambda.shape)}, x ${formatShape(x.shape)}${initialState ? `, initialState ${formatShape(initialState.shape)}` : ''}`,
      {
        lambda: lambda.shape,
        x: x.shape,
        ...(initialState ? { initialState: initialState.shape } : {}),
      },
    );
  }
  const lam = lambda.toTypedArray();
  const xs = x.toTypedArray();
  const h0 = initialState ? initialState.toTypedArray() : null;
  const out = x.dtype === 'float64' ? new Float64Array(xs.length) : new Float32Array(xs.length);
  for (let bi = 0; bi < b; bi++) {
    for (let k = 0; k < m; k++) {
      const lr = lam[2 * k]!;
      const li = lam[2 * k + 1]!;
      let hr = h0 ? h0[(bi * m + k) * 2]! : 0;
      let hi = h0 ? h0[(bi * m + k) * 2 + 1]! : 0;
      for (let t = 0; t < l; t++) {
        const p = ((bi * l + t) * m + k) * 2;
        const nr = lr * hr - li * hi + xs[p]!;
        const ni = lr * hi + li * hr + xs[p + 1]!;
        hr = nr;
        hi = ni;
        out[p] = hr;
        out[p + 1] = hi;
      }
    }
  }
  const h = tensor(out, { shape: x.shape, dtype: x.dtype, backend: x.backend });
  const inputs = initialState ? [lambda, x, initialState] : [lambda, x];
  return record(
    op,
    h,
    inputs,
    (grad) => {
      const g = grad.toTypedArray();
      const gx = new Float64Array(xs.length);
      const gl = new Float64Array(m * 2);
      const gh0 = new Float64Array(b * m * 2);
      for (let bi = 0; bi < b; bi++) {
        for (let k = 0; k < m; k++) {
          const lr = lam[2 * k]!;
          const li = lam[2 * k + 1]!;
          let cr = 0;
          let ci = 0;
          for (let t = l - 1; t >= 0; t--) {
            const p = ((bi * l + t) * m + k) * 2;
            // G_t = g_t + conj(lambda) G_{t+1}, with (cr, ci) = G_{t+1}
            const Gr = g[p]! + lr * cr + li * ci;
            const Gi = g[p + 1]! + lr * ci - li * cr;
            gx[p] = Gr;
            gx[p + 1] = Gi;
            const q = p - m * 2;
            const pr = t > 0 ? out[q]! : h0 ? h0[(bi * m + k) * 2]! : 0;
            const pi = t > 0 ? out[q + 1]! : h0 ? h0[(bi * m + k) * 2 + 1]! : 0;
            // dlambda += G_t conj(h_{t-1})
            gl[2 * k]! += Gr * pr + Gi * pi;
            gl[2 * k + 1]! += Gi * pr - Gr * pi;
            cr = Gr;
            ci = Gi;
          }
          gh0[(bi * m + k) * 2] = lr * cr + li * ci;
          gh0[(bi * m + k) * 2 + 1] = lr * ci - li * cr;
        }
      }
      const grads = [
        lambda.requiresGrad
          ? tensor(gl, { shape: lambda.shape, dtype: lambda.dtype, backend: lambda.backend })
          : null,
        x.requiresGrad ? tensor(gx, { shape: x.shape, dtype: x.dtype, backend: x.backend }) : null,
      ];
      if (initialState)
        grads.push(
          initialState.requiresGrad
            ? tensor(gh0, {
                shape: initialState.shape,
                dtype: initialState.dtype,
                backend: initialState.backend,
              })
            : null,
        );
      return grads;
    },
    inputs,
  );
}
