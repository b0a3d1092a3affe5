/**
 * The 4 x 8 float32 GEMM micro-kernel step (WAT template), after the BLIS
 * micro-kernel design (Van Zee & van de Geijn, "BLIS: A Framework for
 * Rapidly Instantiating BLAS Functionality", ACM TOMS 2015): one step of
 * the contraction updates a 4-row x 8-column register block of C held in 8
 * f32x4 accumulators, from 4 broadcast values of A (`v128.load32_splat`)
 * and one 8-float row of B (two `v128.load`s): 8 multiply-adds per 6
 * loads, 11 of the 16 vector registers. @x/tensor's packed matmul and
 * @x/attention's tile products both loop over this step; they differ only
 * in where A's four values and B's row sit (packed panels, or rows of a
 * tile).
 */
import { get, locals, madd, set } from './wat.js';

/** The accumulator local of row `r` (0..3) and half `h` (columns 4h..4h+3). */
export const gemmAccumulator = (r: number, h: number): string => `gc${r}${h}`;

/** Declarations of the step's locals: the 8 accumulators, the broadcast A value, the two B vectors. */
export function gemmStepLocals(): string {
  const accumulators = [0, 1, 2, 3].flatMap((r) => [0, 1].map((h) => gemmAccumulator(r, h)));
  return locals('v128', 'ga', 'gb0', 'gb1', ...accumulators);
}

/** Statements zeroing the 8 accumulators. */
export function gemmZero(): string {
  const zero = '(v128.const i32x4 0 0 0 0)';
  return [0, 1, 2, 3]
    .flatMap((r) => [0, 1].map((h) => set(gemmAccumulator(r, h), zero)))
    .join('\n    ');
}

/** Where one step reads its operands. */
export interface GemmStepOperands {
  /** The load of row r's A value (an f32 address expression, read with `load32_splat`), r = 0..3. */
  readonly a: (r: number) => string;
  /** The address of the step's 8-float B row (read as two f32x4 at +0 and +16). */
  readonly b: string;
  /** Relaxed-SIMD fused multiply-add. */
  readonly fma: boolean;
}

/**
 * Statements: one step of the contraction, C[r, 0..7] += A[r] * B[0..7] for r = 0..3.
 * @param operands - the addresses of A's four values and of B's row, and fma
 * @returns WAT statements (uses the locals of `gemmStepLocals`)
 */
export function gemmStep(operands: GemmStepOperands): string {
  const body = [
    set('gb0', `(v128.load ${operands.b})`),
    set('gb1', `(v128.load offset=16 ${operands.b})`),
  ];
  for (let r = 0; r < 4; r++) {
    body.push(set('ga', `(v128.load32_splat ${operands.a(r)})`));
    for (let h = 0; h < 2; h++) {
      const acc = gemmAccumulator(r, h);
      body.push(set(acc, madd(operands.fma, get('ga'), get(`gb${h}`), get(acc))));
    }
  }
  return body.join('\n      ');
}
