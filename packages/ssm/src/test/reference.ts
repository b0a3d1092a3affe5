/**
 * Naive float64 references, written independently of the package's kernels
 * and in the order of the papers' equations, for tests (ours and those of
 * packages that build on @x/ssm). Inputs and outputs are plain nested arrays.
 */

/** A 3-D array [i][j][k]. */
export type Array3 = number[][][];

/** Inputs of `selectiveScanReference`, shaped as the reference `selective_scan_ref`. */
export interface SelectiveScanReferenceInputs {
  /** [b][d][l] */
  u: Array3;
  /** [b][d][l] */
  delta: Array3;
  /** [d][n] */
  A: number[][];
  /** [b][n][l] */
  B: Array3;
  /** [b][n][l] */
  C: Array3;
  /** [d] */
  D?: number[];
  /** [b][d][l] */
  z?: Array3;
  /** [d] */
  deltaBias?: number[];
  deltaSoftplus?: boolean;
}

/**
 * `selective_scan_ref` of state-spaces/mamba in float64: materializes
 * deltaA = exp(delta A) and deltaB_u = delta B u, then runs x = deltaA x + deltaB_u
 * and y = C x step by step.
 * @param inputs - the arrays
 * @returns out [b][d][l]
 * @example selectiveScanReference({ u: [[[1]]], delta: [[[0.5]]], A: [[-1]], B: [[[1]]], C: [[[1]]] }) // [[[0.5]]]
 */
export function selectiveScanReference(inputs: SelectiveScanReferenceInputs): Array3 {
  const { u, A, B, C } = inputs;
  const b = u.length;
  const d = u[0]!.length;
  const l = u[0]![0]!.length;
  const n = A[0]!.length;
  const delta = inputs.delta.map((rows) =>
    rows.map((row, di) =>
      row.map((v) => {
        const w = v + (inputs.deltaBias ? inputs.deltaBias[di]! : 0);
        return inputs.deltaSoftplus ? (w > 20 ? w : Math.log(1 + Math.exp(w))) : w;
      }),
    ),
  );
  const out: Array3 = [];
  for (let bi = 0; bi < b; bi++) {
    const rows: number[][] = [];
    for (let di = 0; di < d; di++) {
      const x = new Array<number>(n).fill(0);
      const row: number[] = [];
      for (let t = 0; t < l; t++) {
        let y = 0;
        for (let k = 0; k < n; k++) {
          const deltaA = Math.exp(delta[bi]![di]![t]! * A[di]![k]!);
          const deltaBu = delta[bi]![di]![t]! * B[bi]![k]![t]! * u[bi]![di]![t]!;
          x[k] = deltaA * x[k]! + deltaBu;
          y += x[k]! * C[bi]![k]![t]!;
        }
        if (inputs.D) y += inputs.D[di]! * u[bi]![di]![t]!;
        if (inputs.z) {
          const zz = inputs.z[bi]![di]![t]!;
          y *= zz / (1 + Math.exp(-zz));
        }
        row.push(y);
      }
      rows.push(row);
    }
    out.push(rows);
  }
  return out;
}

/**
 * Direct causal convolution y[t] = sum_{j <= t} k[j] u[t - j], O(l^2), float64.
 * @param u - signal
 * @param k - kernel (at least as long as u)
 * @returns y, u's length
 * @example causalConvolutionReference([1, 2], [1, 1]) // [1, 3]
 */
export function causalConvolutionReference(u: readonly number[], k: readonly number[]): number[] {
  return u.map((_, t) => {
    let s = 0;
    for (let j = 0; j <= t; j++) s += k[j]! * u[t - j]!;
    return s;
  });
}

/**
 * The S4D convolution kernel straight from its definition, float64:
 * K[h][l] = 2 Re( sum_n C_n Bbar_n Abar_n^l ) with zero-order hold,
 * Abar = exp(dt A), Bbar = (exp(dt A) - 1) / A (B = 1), complex numbers as [re, im].
 * @param dt - [h]
 * @param A - [h][n] complex
 * @param C - [h][n] complex
 * @param length - l
 * @returns K [h][l]
 */
export function s4dKernelReference(
  dt: readonly number[],
  A: readonly (readonly [number, number])[][],
  C: readonly (readonly [number, number])[][],
  length: number,
): number[][] {
  const mul = (x: readonly [number, number], y: readonly [number, number]): [number, number] => [
    x[0] * y[0] - x[1] * y[1],
    x[0] * y[1] + x[1] * y[0],
  ];
  const div = (x: readonly [number, number], y: readonly [number, number]): [number, number] => {
    const den = y[0] * y[0] + y[1] * y[1];
    return [(x[0] * y[0] + x[1] * y[1]) / den, (x[1] * y[0] - x[0] * y[1]) / den];
  };
  const cexp = (x: readonly [number, number]): [number, number] => [
    Math.exp(x[0]) * Math.cos(x[1]),
    Math.exp(x[0]) * Math.sin(x[1]),
  ];
  return dt.map((step, h) => {
    const row = new Array<number>(length).fill(0);
    A[h]!.forEach((a, i) => {
      const abar = cexp([a[0] * step, a[1] * step]);
      const bbar = div([abar[0] - 1, abar[1]], a);
      let power: [number, number] = [1, 0];
      const cb = mul(C[h]![i]!, bbar);
      for (let t = 0; t < length; t++) {
        row[t]! += 2 * mul(cb, power)[0];
        power = mul(power, abar);
      }
    });
    return row;
  });
}
