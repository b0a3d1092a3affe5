/**
 * The selective scan (Mamba's S6, Gu & Dao 2023, Algorithm 2; reference
 * `selective_scan_ref` in state-spaces/mamba `mamba_ssm/ops/selective_scan_interface.py`)
 * as plain loops over typed arrays: the forward recurrence and its
 * hand-written backward, the reverse scan.
 *
 * Layout is channels-last, as the Mamba block produces its activations
 * (`b` batch, `l` length, `d` channels, `n` state size):
 *   u, delta, z, out: [b, l, d]    A: [d, n]    D, deltaBias: [d]    h0, hLast: [b, d, n]
 *   B, C: [b, l, n] when input-dependent ("varying") or [d, n]
 *
 * Forward, with dt = softplus(delta + deltaBias) (or without softplus), for
 * t = 0 .. l-1 and every channel of the batch row at once:
 *   h[d, :] = exp(dt[t, d] A[d, :]) * h[d, :] + dt[t, d] u[t, d] B[t, :]
 *   y[t, d] = <h[d, :], C[t, :]> + D[d] u[t, d];   out = y * silu(z)   (when z is given)
 * The d x n state of a batch row (16 KB for d = 128, n = 16) stays in cache,
 * and B[t], C[t] are read once per step for all channels.
 *
 * Backward, walking t from the end with G = dL/dh[t] (the direct term
 * g_y C[t] plus the carry from h[t+1]): dL/d(dt) collects
 * G (A exp(dt A) h[t-1] + B[t] u), dL/dA collects G dt exp(dt A) h[t-1], and
 * the carry becomes G exp(dt A). The forward keeps exp(dt A) for every step
 * (one exponential per element in all); the states h are recomputed per
 * batch row from it by multiply-adds into a row buffer of l * d * n values
 * (below the save limit the forward keeps them too). Nothing of size
 * b * l * d * n needs to survive between forward and backward when the
 * input is larger than the limit: then decays are recomputed per row as well,
 * as the CUDA kernel does.
 */

/** Flat inputs of the kernels (channels-last). */
export interface ScanArrays {
  readonly b: number;
  readonly d: number;
  readonly l: number;
  readonly n: number;
  /** [b, l, d] */
  readonly u: ArrayLike<number>;
  /** [b, l, d] */
  readonly delta: ArrayLike<number>;
  /** [d, n] */
  readonly A: ArrayLike<number>;
  /** [b, l, n] when `varying`, else [d, n]. */
  readonly B: ArrayLike<number>;
  readonly C: ArrayLike<number>;
  readonly varying: boolean;
  readonly D: ArrayLike<number> | null;
  /** [b, l, d] */
  readonly z: ArrayLike<number> | null;
  readonly deltaBias: ArrayLike<number> | null;
  readonly softplus: boolean;
  /** [b, d, n] */
  readonly h0: ArrayLike<number> | null;
}

/** Gradients produced by `scanBackward` (null where the input was absent), in the input layouts. */
export interface ScanGrads {
  u: Float64Array;
  delta: Float64Array;
  A: Float64Array;
  B: Float64Array;
  C: Float64Array;
  D: Float64Array | null;
  z: Float64Array | null;
  deltaBias: Float64Array | null;
  h0: Float64Array | null;
}

let saveLimit = 1 << 23;

/**
 * Sets the size (b * l * d * n entries) above which the forward keeps
 * nothing of that size and the backward recomputes decays and states per
 * batch row (internal; tests use 0 to cover that path). @default 2^23
 */
export function setScanSaveLimit(entries: number): void {
  saveLimit = entries;
}

/** What the forward keeps for the backward. */
export interface ScanSaved {
  /** dt after bias and softplus, [b, l, d]. */
  readonly dt: Float64Array;
  /** y before D and the gate, [b, l, d]. */
  readonly y: Float64Array;
  /** exp(dt A) for every step, [b, l, d, n], or null (recompute per row). */
  readonly decay: Float32Array | Float64Array | null;
}

/** softplus with PyTorch's threshold (x > 20 returns x). */
export function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * dt for every (b, l, d) after bias and softplus (internal; the wasm kernel shares it).
 * @param s - the inputs
 * @returns dt, [b, l, d]
 */
export function scanSteps(s: ScanArrays): Float64Array {
  const { b, l, d, delta, deltaBias } = s;
  const dts = new Float64Array(b * l * d);
  for (let i = 0; i < b * l; i++) {
    for (let c = 0; c < d; c++) {
      const raw = delta[i * d + c]! + (deltaBias ? deltaBias[c]! : 0);
      dts[i * d + c] = s.softplus ? softplus(raw) : raw;
    }
  }
  return dts;
}

/**
 * The recurrence of batch row `bi`: y (before D and gating) into y, the
 * final state into h ([d, n]), and, when given, exp(dt A) into decay and h
 * into states at [(t d + c) n + k] relative to `offset`.
 */
function scanBatchRow(
  s: ScanArrays,
  bi: number,
  dts: Float64Array,
  h: Float64Array,
  y: Float64Array,
  decay: Float32Array | Float64Array | null,
  states: Float64Array | null,
  offset: number,
): void {
  const { l, d, n, u, A, B, C, varying } = s;
  if (s.h0) for (let i = 0; i < d * n; i++) h[i] = s.h0[bi * d * n + i]!;
  else h.fill(0);
  // three copies of the inner loop so that none branches per element
  for (let t = 0; t < l; t++) {
    const row = (bi * l + t) * d;
    const bt = varying ? (bi * l + t) * n : 0;
    for (let c = 0; c < d; c++) {
      const dt = dts[row + c]!;
      const du = dt * u[row + c]!;
      const hc = c * n;
      const bc = varying ? bt : hc;
      const o = offset + (t * d + c) * n;
      let acc = 0;
      if (states) {
        for (let k = 0; k < n; k++) {
          const a = Math.exp(dt * A[hc + k]!);
          const hk = a * h[hc + k]! + du * B[bc + k]!;
          h[hc + k] = hk;
          acc += hk * C[bc + k]!;
          decay![o + k] = a;
          states[o + k] = hk;
        }
      } else if (decay) {
        for (let k = 0; k < n; k++) {
          const a = Math.exp(dt * A[hc + k]!);
          const hk = a * h[hc + k]! + du * B[bc + k]!;
          h[hc + k] = hk;
          acc += hk * C[bc + k]!;
          decay[o + k] = a;
        }
      } else {
        for (let k = 0; k < n; k++) {
          const hk = Math.exp(dt * A[hc + k]!) * h[hc + k]! + du * B[bc + k]!;
          h[hc + k] = hk;
          acc += hk * C[bc + k]!;
        }
      }
      y[row + c] = acc;
    }
  }
}

/**
 * Forward selective scan.
 * @param s - the inputs
 * @param out - output [b, l, d] (any float typed array)
 * @param hLast - optional output [b, d, n]: the state after the last step
 * @param save - keep what the backward needs
 * @returns the saved values, or null when `save` is false
 */
export function scanForward(
  s: ScanArrays,
  out: { [i: number]: number; length: number },
  hLast: { [i: number]: number } | null,
  save: boolean,
): ScanSaved | null {
  const { b, l, d, n, u, z, D } = s;
  const dts = scanSteps(s);
  const y = new Float64Array(b * l * d);
  const h = new Float64Array(d * n);
  const keep = save && b * l * d * n <= saveLimit;
  const decay = keep
    ? new (u instanceof Float64Array ? Float64Array : Float32Array)(b * l * d * n)
    : null;
  for (let bi = 0; bi < b; bi++) {
    scanBatchRow(s, bi, dts, h, y, decay, null, bi * l * d * n);
    if (hLast) for (let i = 0; i < d * n; i++) hLast[bi * d * n + i] = h[i]!;
  }
  for (let i = 0; i < b * l; i++) {
    for (let c = 0; c < d; c++) {
      const j = i * d + c;
      let v = y[j]! + (D ? D[c]! : 0) * u[j]!;
      if (z) v *= z[j]! * sigmoid(z[j]!);
      out[j] = v;
    }
  }
  return save ? { dt: dts, y, decay } : null;
}

/**
 * Backward selective scan (the reverse scan).
 * @param s - the inputs of the forward call
 * @param saved - what the forward kept
 * @param gOut - dL/d(out), [b, l, d]
 * @returns the gradients of every input
 */
export function scanBackward(s: ScanArrays, saved: ScanSaved, gOut: ArrayLike<number>): ScanGrads {
  const { b, l, d, n, u, A, B, C, varying, D, z } = s;
  const g: ScanGrads = {
    u: new Float64Array(b * l * d),
    delta: new Float64Array(b * l * d),
    A: new Float64Array(d * n),
    B: new Float64Array(B.length),
    C: new Float64Array(C.length),
    D: D ? new Float64Array(d) : null,
    z: z ? new Float64Array(b * l * d) : null,
    deltaBias: s.deltaBias ? new Float64Array(d) : null,
    h0: s.h0 ? new Float64Array(b * d * n) : null,
  };
  const dts = saved.dt;
  const rowSize = l * d * n;
  const states = new Float64Array(rowSize);
  const rowDecay = saved.decay ? null : new Float64Array(rowSize);
  const h = new Float64Array(d * n);
  const carry = new Float64Array(d * n);
  const h0 = new Float64Array(d * n);
  const gy = new Float64Array(d);
  const scratchY = saved.decay ? null : new Float64Array(b * l * d);
  for (let bi = 0; bi < b; bi++) {
    // states of this batch row: from the kept decays by multiply-adds, or a full recomputation
    let E: ArrayLike<number>;
    let eOff: number;
    if (saved.decay) {
      E = saved.decay;
      eOff = bi * rowSize;
      if (s.h0) for (let i = 0; i < d * n; i++) h[i] = s.h0[bi * d * n + i]!;
      else h.fill(0);
      for (let t = 0; t < l; t++) {
        const row = (bi * l + t) * d;
        const bt = varying ? (bi * l + t) * n : 0;
        for (let c = 0; c < d; c++) {
          const du = dts[row + c]! * u[row + c]!;
          const hc = c * n;
          const bc = varying ? bt : hc;
          const o = (t * d + c) * n;
          for (let k = 0; k < n; k++) {
            const hk = E[eOff + o + k]! * h[hc + k]! + du * B[bc + k]!;
            h[hc + k] = hk;
            states[o + k] = hk;
          }
        }
      }
    } else {
      scanBatchRow(s, bi, dts, h, scratchY!, rowDecay, states, 0);
      E = rowDecay!;
      eOff = 0;
    }
    if (s.h0) for (let i = 0; i < d * n; i++) h0[i] = s.h0[bi * d * n + i]!;
    carry.fill(0);
    for (let t = l - 1; t >= 0; t--) {
      const row = (bi * l + t) * d;
      const bt = varying ? (bi * l + t) * n : 0;
      for (let c = 0; c < d; c++) {
        const j = row + c;
        let gyc = gOut[j]!;
        if (z) {
          const zz = z[j]!;
          const sg = sigmoid(zz);
          const pre = saved.y[j]! + (D ? D[c]! : 0) * u[j]!;
          g.z![j] = gyc * pre * sg * (1 + zz * (1 - sg));
          gyc *= zz * sg;
        }
        gy[c] = gyc;
      }
      for (let c = 0; c < d; c++) {
        const j = row + c;
        const gyc = gy[c]!;
        const ut = u[j]!;
        const dt = dts[j]!;
        const hc = c * n;
        const bc = varying ? bt : hc;
        const o = (t * d + c) * n;
        const prev: Float64Array = t > 0 ? states : h0;
        const p = t > 0 ? o - d * n : hc;
        let gu = gyc * (D ? D[c]! : 0);
        let gdt = 0;
        for (let k = 0; k < n; k++) {
          const a = E[eOff + o + k]!;
          const bk = B[bc + k]!;
          const G = gyc * C[bc + k]! + carry[hc + k]!;
          g.C[bc + k]! += gyc * states[o + k]!;
          const gaPrev = G * prev[p + k]! * a;
          const ak = A[hc + k]!;
          gdt += gaPrev * ak + G * bk * ut;
          g.A[hc + k]! += gaPrev * dt;
          g.B[bc + k]! += G * dt * ut;
          gu += G * dt * bk;
          carry[hc + k] = G * a;
        }
        if (g.D) g.D[c]! += gyc * ut;
        g.u[j] = gu;
        const raw = s.delta[j]! + (s.deltaBias ? s.deltaBias[c]! : 0);
        const gRaw = s.softplus ? gdt * sigmoid(raw) : gdt;
        g.delta[j] = gRaw;
        if (g.deltaBias) g.deltaBias[c]! += gRaw;
      }
    }
    if (g.h0) for (let i = 0; i < d * n; i++) g.h0[bi * d * n + i] = carry[i]!;
  }
  return g;
}
