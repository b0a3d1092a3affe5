/**
 * Online function approximation with HiPPO (HiPPO paper, Section 2 and
 * Appendix C-D): a signal f arrives one sample at a time; the state c(t) of N
 * coefficients is updated by the discretized HiPPO ODE so that, at every
 * time, f's history is approximated by a polynomial expansion
 *
 *   LegS:  f(x) ~ sum_n c_n sqrt(2n+1) P_n(2x/t - 1)          on [0, t]
 *   LegT:  f(x) ~ sum_n c_n (-1)^n P_n(2(x - t)/theta + 1)     on [t - theta, t]
 *   LagT:  f(x) ~ sum_n c_n L_n(t - x)                         on x <= t
 *
 * (P_n Legendre, L_n Laguerre polynomials). LegS is time-varying: the step
 * from t = k to k + 1 uses A/k, B/k (forward / backward Euler, bilinear), or
 * the exact solution in log-time for 'zoh' (Abar = exp(-A log((k+1)/k))), as
 * the reference HiPPO code (HazyResearch/hippo-code, `HiPPOScale`). LegS's A
 * is lower triangular, so the implicit rules cost one triangular solve, O(N^2),
 * per sample. LegT and LagT are time-invariant: Abar, Bbar are computed once.
 */
import { SsmValueError } from '../errors.js';
import { combine, expm, type Matrix, solve } from '../linalg/dense.js';
import { checkFinite, checkInteger, checkOneOf } from '../validate.js';
import {
  DISCRETIZATION_METHODS,
  type DiscretizationMethod,
  discretizeArrays,
} from './discretize.js';
import { HIPPO_MEASURES, type HippoMeasure, hippoArrays } from './matrices.js';
import { laguerre, legendre } from './polynomials.js';

/** Options of `HippoApproximator`. */
export interface HippoApproximatorOptions {
  /** The measure. @default 'legs' */
  measure?: HippoMeasure;
  /** N, the number of coefficients. */
  stateSize: number;
  /** Discretization rule. @default 'bilinear' */
  method?: DiscretizationMethod;
  /** Time between samples for LegT / LagT (LegS is timescale-free). @default 0.01 */
  dt?: number;
  /** LegT window length theta, in time units. @default 1 */
  theta?: number;
}

/**
 * Keeps the HiPPO coefficients of a signal's history, one sample at a time,
 * and reconstructs the history from them.
 * @example
 * const hippo = new HippoApproximator({ measure: 'legs', stateSize: 32 });
 * for (let k = 0; k < 500; k++) hippo.update(Math.sin(k / 40));
 * const recon = hippo.reconstruct(); // 500 values, max error vs sin about 1e-3
 */
export class HippoApproximator {
  readonly measure: HippoMeasure;
  readonly stateSize: number;
  readonly method: DiscretizationMethod;
  readonly dt: number;
  readonly theta: number;
  /** The current coefficients c (a live view; copy it to keep a snapshot). */
  readonly coefficients: Float64Array;
  private readonly A: Matrix;
  private readonly B: Float64Array;
  private readonly lti: { Abar: Matrix; Bbar: Matrix } | null;
  private readonly scratch: Float64Array;
  private count = 0;

  /** @throws SsmValueError for an unknown measure or method, N < 1, or a non-positive dt / theta */
  constructor(options: HippoApproximatorOptions) {
    const op = 'HippoApproximator';
    this.measure = checkOneOf(op, 'measure', options.measure ?? 'legs', HIPPO_MEASURES);
    this.stateSize = checkInteger(op, 'stateSize', options.stateSize);
    this.method = checkOneOf(op, 'method', options.method ?? 'bilinear', DISCRETIZATION_METHODS);
    this.dt = checkFinite(op, 'dt', options.dt ?? 0.01, true);
    this.theta = checkFinite(op, 'theta', options.theta ?? 1, true);
    const { A, B } = hippoArrays(this.measure, this.stateSize, this.theta);
    this.A = A;
    this.B = B;
    this.coefficients = new Float64Array(this.stateSize);
    this.scratch = new Float64Array(this.stateSize);
    this.lti =
      this.measure === 'legs'
        ? null
        : discretizeArrays(
            combine(A, -1),
            { rows: this.stateSize, cols: 1, data: B },
            this.dt,
            this.method,
          );
  }

  /** Number of samples seen. */
  get steps(): number {
    return this.count;
  }

  /**
   * Feeds one sample.
   * @param value - f at the next time step
   * @returns the updated coefficients (a live view)
   * @throws SsmValueError for a non-finite sample
   */
  update(value: number): Float64Array {
    checkFinite('HippoApproximator.update', 'value', value);
    this.count++;
    const c = this.coefficients;
    const n = this.stateSize;
    if (this.lti) {
      const { Abar, Bbar } = this.lti;
      const next = this.scratch;
      for (let i = 0; i < n; i++) {
        let s = Bbar.data[i]! * value;
        for (let j = 0; j < n; j++) s += Abar.data[i * n + j]! * c[j]!;
        next[i] = s;
      }
      c.set(next);
      return c;
    }
    this.stepLegs(value);
    return c;
  }

  /** One LegS step from t = k - 1 to k (k = this.count). */
  private stepLegs(value: number): void {
    const n = this.stateSize;
    const k = this.count;
    const A = this.A.data;
    const c = this.coefficients;
    const rhs = this.scratch;
    if (this.method === 'zoh') {
      const { Abar, Bbar } = zohLegsStep(this.A, this.B, Math.log((k + 1) / k));
      for (let i = 0; i < n; i++) {
        let s = Bbar[i]! * value;
        for (let j = 0; j < n; j++) s += Abar.data[i * n + j]! * c[j]!;
        rhs[i] = s;
      }
      c.set(rhs);
      return;
    }
    // explicit part: rhs = (I - w A / k) c + B f / k, w = 1 (forward), 1/2 (bilinear), 0 (backward)
    const explicit = this.method === 'forward-euler' ? 1 : this.method === 'bilinear' ? 0.5 : 0;
    for (let i = 0; i < n; i++) {
      let s = c[i]! + (this.B[i]! * value) / k;
      if (explicit > 0) for (let j = 0; j <= i; j++) s -= (explicit * A[i * n + j]! * c[j]!) / k;
      rhs[i] = s;
    }
    // implicit part: (I + (1 - w) A / k) c_new = rhs, forward substitution (A is lower triangular)
    const implicit = 1 - explicit;
    for (let i = 0; i < n; i++) {
      let s = rhs[i]!;
      for (let j = 0; j < i; j++) s -= ((implicit * A[i * n + j]!) / k) * c[j]!;
      c[i] = s / (1 + (implicit * A[i * n + i]!) / k);
    }
  }

  /**
   * The approximation of f at `lag` time units before now (0 = the newest sample's time).
   * @param lag - >= 0; LegS covers [0, t], LegT [0, theta]
   * @returns the reconstructed value
   */
  evaluate(lag: number): number {
    const n = this.stateSize;
    const c = this.coefficients;
    let s = 0;
    if (this.measure === 'lagt') {
      const values = laguerre(n, lag);
      for (let i = 0; i < n; i++) s += c[i]! * values[i]!;
      return s;
    }
    const z = this.measure === 'legs' ? 1 - (2 * lag) / this.count : 1 - (2 * lag) / this.theta;
    const values = legendre(n, z);
    for (let i = 0; i < n; i++) {
      const scale = this.measure === 'legs' ? Math.sqrt(2 * i + 1) : i % 2 === 1 ? -1 : 1;
      s += c[i]! * scale * values[i]!;
    }
    return s;
  }

  /**
   * Reconstructs the last `count` samples (oldest first) from the coefficients.
   * Sample j steps back sits at lag j steps (the newest at lag 0), which is
   * where the implicit and bilinear rules place it (measured: the smallest error).
   * @param count - how many samples; default every sample in the window
   *   (LegS: all seen, LegT: theta / dt, LagT: those within 10 time units)
   * @returns the reconstruction, `count` values
   * @throws SsmValueError for a count that is not a positive integer
   */
  reconstruct(count?: number): Float64Array {
    const unit = this.measure === 'legs' ? 1 : this.dt;
    const defaultCount =
      this.measure === 'legs'
        ? this.count
        : this.measure === 'legt'
          ? Math.round(this.theta / this.dt)
          : Math.round(10 / this.dt);
    const m = Math.min(count ?? defaultCount, Math.max(this.count, 1));
    if (!(Number.isInteger(m) && m >= 1))
      throw new SsmValueError(
        'HippoApproximator.reconstruct',
        'count',
        `bad count ${count}`,
        count,
      );
    const out = new Float64Array(m);
    for (let j = 0; j < m; j++) out[m - 1 - j] = this.evaluate(j * unit);
    return out;
  }
}

/**
 * One exact (zero-order hold) LegS step of length h in log-time, where the
 * ODE is time-invariant, dc/ds = -A c + B f:
 * Abar = exp(-A h), Bbar = (-A)^{-1} (Abar - I) B = A^{-1} (I - Abar) B.
 */
function zohLegsStep(A: Matrix, B: Float64Array, h: number): { Abar: Matrix; Bbar: Float64Array } {
  const n = A.rows;
  const Abar = expm(combine(A, -h));
  const rhs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B[i]!;
    for (let j = 0; j < n; j++) s -= Abar.data[i * n + j]! * B[j]!;
    rhs[i] = s;
  }
  return { Abar, Bbar: solve(A, { rows: n, cols: 1, data: rhs }).data };
}
