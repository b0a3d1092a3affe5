/**
 * Orthogonal polynomials evaluated by their three-term recurrences (stable
 * for the degrees used here): Legendre P_n on [-1, 1] and Laguerre L_n on
 * [0, inf), both with the standard normalization (P_n(1) = 1, L_n(0) = 1).
 */

/**
 * P_0(z) .. P_{n-1}(z) by (k + 1) P_{k+1} = (2k + 1) z P_k - k P_{k-1}.
 * @param n - how many polynomials
 * @param z - the point
 * @returns the n values
 * @example legendre(3, 0.5) // Float64Array [1, 0.5, -0.125]
 */
export function legendre(n: number, z: number): Float64Array {
  const out = new Float64Array(n);
  if (n > 0) out[0] = 1;
  if (n > 1) out[1] = z;
  for (let k = 1; k + 1 < n; k++)
    out[k + 1] = ((2 * k + 1) * z * out[k]! - k * out[k - 1]!) / (k + 1);
  return out;
}

/**
 * L_0(y) .. L_{n-1}(y) by (k + 1) L_{k+1} = (2k + 1 - y) L_k - k L_{k-1}.
 * @param n - how many polynomials
 * @param y - the point
 * @returns the n values
 * @example laguerre(3, 1) // Float64Array [1, 0, -0.5]
 */
export function laguerre(n: number, y: number): Float64Array {
  const out = new Float64Array(n);
  if (n > 0) out[0] = 1;
  if (n > 1) out[1] = 1 - y;
  for (let k = 1; k + 1 < n; k++)
    out[k + 1] = ((2 * k + 1 - y) * out[k]! - k * out[k - 1]!) / (k + 1);
  return out;
}
