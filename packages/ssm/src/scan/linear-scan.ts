/**
 * The chunked parallel (associative) scan of a first-order linear recurrence
 *
 *   h_t = a_t * h_{t-1} + x_t        (elementwise; h_{-1} = h0 or 0)
 *
 * along the time axis (-2) of tensors [..., l, n], composed from tensor ops so
 * it is differentiable for free and maps onto any backend. The pairs (a_t, x_t)
 * combine with the associative operator
 *
 *   (a1, x1) . (a2, x2) = (a1 a2, a2 x1 + x2)
 *
 * (Blelloch 1990, "Prefix sums and their applications", Section 1.4; the
 * scan Mamba's kernel and S5 run). The sequence is cut into chunks of
 * `chunkSize` steps:
 *   1. inside every chunk at once, a Hillis-Steele scan: log2(chunkSize)
 *      rounds, round k combining each step with the one 2^k before it;
 *   2. the chunk totals (last step of each chunk) are scanned the same way,
 *      giving the state at every chunk's end;
 *   3. each step adds its within-chunk cumulative product times the state
 *      entering its chunk.
 * Depth O(log chunkSize + log chunks) tensor ops, work O(l n log chunkSize);
 * a GPU runs every round as one kernel, the js backend runs it as loops.
 */
import {
  concat,
  isGradEnabled,
  narrow,
  ones,
  reshape,
  type Tensor,
  tidy,
  unsqueeze,
  zeros,
} from '@x/tensor';
import { SsmShapeError } from '../errors.js';
import { checkInteger, formatShape } from '../validate.js';

/** Options of `chunkedLinearScan`. */
export interface LinearScanOptions {
  /** Steps per chunk (a power of two is natural, any positive integer works). @default 64 */
  chunkSize?: number;
  /** State before the first step, `[..., n]`. @default zeros */
  initialState?: Tensor | null;
}

/** One tensor shifted by `k` steps along axis -2, filled with `fill` (internal). */
function shift(x: Tensor, k: number, fill: number): Tensor {
  const len = x.shape[x.rank - 2]!;
  const shape = [...x.shape];
  shape[shape.length - 2] = k;
  const pad =
    fill === 1
      ? ones(shape, { dtype: x.dtype, backend: x.backend })
      : zeros(shape, { dtype: x.dtype, backend: x.backend });
  return concat([pad, narrow(x, -2, 0, len - k)], -2);
}

/**
 * Inclusive Hillis-Steele scan along axis -2 of a and x (internal). Without
 * autograd, each round's temporaries (and the previous round's operands)
 * are freed as soon as the round ends, so peak memory stays at a few copies
 * of the input instead of growing with the number of rounds.
 */
function hillisSteele(a: Tensor, x: Tensor): { a: Tensor; x: Tensor } {
  const len = a.shape[a.rank - 2]!;
  const taped = isGradEnabled() && (a.requiresGrad || x.requiresGrad);
  const inputs = new Set([a, x]);
  for (let k = 1; k < len; k *= 2) {
    const round = (): { a: Tensor; x: Tensor } => ({
      x: x.add(a.mul(shift(x, k, 0))),
      a: a.mul(shift(a, k, 1)),
    });
    const next = taped ? round() : tidy(round);
    if (!taped) for (const t of [a, x]) if (!inputs.has(t)) t.dispose();
    ({ a, x } = next);
  }
  return { a, x };
}

/**
 * All states h_0 .. h_{l-1} of h_t = a_t h_{t-1} + x_t, by a chunked parallel scan.
 * @param a - decays `[..., l, n]`
 * @param x - inputs, a's shape
 * @param options - chunkSize, initialState
 * @returns h, a's shape
 * @throws SsmShapeError when a and x differ or the initial state does not fit
 * @example
 * chunkedLinearScan(full([4, 1], 0.5), ones([4, 1]), { chunkSize: 2 }).toArray()
 * // [[1], [1.5], [1.75], [1.875]]
 */
export function chunkedLinearScan(a: Tensor, x: Tensor, options: LinearScanOptions = {}): Tensor {
  const chunk = checkInteger('chunkedLinearScan', 'chunkSize', options.chunkSize ?? 64);
  if (a.rank < 2 || a.rank !== x.rank || a.shape.some((s, i) => s !== x.shape[i])) {
    throw new SsmShapeError(
      'chunkedLinearScan',
      `a and x must have one shape [..., l, n], got ${formatShape(a.shape)} and ${formatShape(x.shape)}`,
      { a: a.shape, x: x.shape },
    );
  }
  const l = a.shape[a.rank - 2]!;
  const n = a.shape[a.rank - 1]!;
  const lead = a.shape.slice(0, -2);
  const h0 = options.initialState;
  if (h0) {
    if (h0.rank !== a.rank - 1 || h0.shape.some((s, i) => s !== [...lead, n][i])) {
      throw new SsmShapeError(
        'chunkedLinearScan',
        `initialState must be ${formatShape([...lead, n])}, got ${formatShape(h0.shape)}`,
        { a: a.shape, initialState: h0.shape },
      );
    }
    // fold h0 into the first step: x_0 <- a_0 h0 + x_0
    const first = narrow(x, -2, 0, 1).add(narrow(a, -2, 0, 1).mul(unsqueeze(h0, -2)));
    x = l > 1 ? concat([first, narrow(x, -2, 1, l - 1)], -2) : first;
  }
  if (l === 0) return x;
  const q = Math.min(chunk, l);
  const chunks = Math.ceil(l / q);
  const padded = chunks * q;
  if (padded !== l) {
    const padShape = [...lead, padded - l, n];
    a = concat([a, ones(padShape, { dtype: a.dtype, backend: a.backend })], -2);
    x = concat([x, zeros(padShape, { dtype: x.dtype, backend: x.backend })], -2);
  }
  // 1. scan inside every chunk at once: [..., chunks, q, n]
  const inner = hillisSteele(
    reshape(a, [...lead, chunks, q, n]),
    reshape(x, [...lead, chunks, q, n]),
  );
  let h = inner.x;
  if (chunks > 1) {
    // 2. scan the chunk totals: state at the end of every chunk, [..., chunks, n]
    const totals = hillisSteele(
      reshape(narrow(inner.a, -2, q - 1, 1), [...lead, chunks, n]),
      reshape(narrow(inner.x, -2, q - 1, 1), [...lead, chunks, n]),
    );
    // 3. the state entering each chunk, times the within-chunk cumulative decay
    const entering = unsqueeze(shift(totals.x, 1, 0), -2);
    h = h.add(inner.a.mul(entering));
  }
  h = reshape(h, [...lead, padded, n]);
  return padded === l ? h : narrow(h, -2, 0, l);
}
