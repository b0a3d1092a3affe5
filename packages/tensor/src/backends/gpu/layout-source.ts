/**
 * Source generation for strided layouts: the gpu backend compiles one gpu.js
 * kernel per (op, output size, layout signature), with every shape, stride and
 * offset written into the kernel source as a literal. A kernel thread owns one
 * output element (`this.thread.x`, its row-major index); these helpers emit the
 * statements that turn that index into coordinates and each operand's element
 * offset, the GPU counterpart of `backends/js/strided-plan.ts`.
 *
 * Index arithmetic runs in float32 (GLSL ES 1.0 has no integer division), which
 * is exact for integers below 2^24. A quotient `floor((i + 0.5) / d)` can still
 * be off by one where the division is not correctly rounded, so every emitted
 * division is followed by a one-step correction of quotient and remainder.
 */
import type { Shape } from '../../shape.js';

/** One operand's layout: strides and offset in elements. */
export interface OperandLayout {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Axes merged for a set of operands: extents and, per operand, strides. */
export interface MergedAxes {
  readonly dims: number[];
  readonly strides: number[][];
}

/**
 * Merges adjacent axes that are contiguous for every operand and drops
 * extents of 1 (as `stridedPlan` does), so the kernel decomposes fewer axes.
 * @param shape - the iteration shape
 * @param operands - each operand's strides over `shape`
 * @returns merged extents (outermost first) and strides
 */
export function mergeAxes(shape: Shape, operands: readonly OperandLayout[]): MergedAxes {
  const dims: number[] = [];
  const strides: number[][] = operands.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    const extent = shape[axis]!;
    if (extent === 1) continue;
    const last = dims.length - 1;
    let mergeable = last >= 0;
    for (let k = 0; k < operands.length && mergeable; k++) {
      if (strides[k]![last]! !== operands[k]!.strides[axis]! * extent) mergeable = false;
    }
    if (mergeable) {
      dims[last] = dims[last]! * extent;
      for (let k = 0; k < operands.length; k++) strides[k]![last] = operands[k]!.strides[axis]!;
    } else {
      dims.push(extent);
      for (let k = 0; k < operands.length; k++) strides[k]!.push(operands[k]!.strides[axis]!);
    }
  }
  return { dims, strides };
}

/**
 * A float literal gpu.js types as a float (always with a decimal point or an
 * exponent); infinities become the largest finite float32 of their sign.
 */
export function floatLiteral(value: number): string {
  if (Number.isNaN(value)) throw new RangeError('NaN has no GLSL literal');
  const finite = Math.max(-3.4028234663852886e38, Math.min(3.4028234663852886e38, value));
  const text = String(finite);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * Statements splitting the row-major index `index` over `dims` into
 * coordinates `${prefix}0 ..` (outermost first).
 * @param index - the name of a variable holding the flat index
 * @param dims - extents, outermost first
 * @param prefix - coordinate variable prefix
 * @returns source lines
 */
export function emitCoordinates(index: string, dims: readonly number[], prefix: string): string[] {
  const lines: string[] = [];
  if (dims.length === 0) return lines;
  let rest = index;
  for (let axis = dims.length - 1; axis >= 1; axis--) {
    const d = dims[axis]!;
    const q = `${prefix}q${axis}`;
    const c = `${prefix}${axis}`;
    lines.push(
      `let ${q} = Math.floor((${rest} + 0.5) / ${floatLiteral(d)});`,
      `let ${c} = ${rest} - ${q} * ${floatLiteral(d)};`,
      `if (${c} < 0.0) { ${q} = ${q} - 1.0; ${c} = ${c} + ${floatLiteral(d)}; }`,
      `if (${c} >= ${floatLiteral(d)}) { ${q} = ${q} + 1.0; ${c} = ${c} - ${floatLiteral(d)}; }`,
    );
    rest = q;
  }
  lines.push(`let ${prefix}0 = ${rest};`);
  return lines;
}

/**
 * The expression `offset + sum(c_k * stride_k)` for coordinates `${prefix}k`.
 * @param offset - element offset
 * @param strides - one stride per coordinate
 * @param prefix - coordinate variable prefix
 */
export function offsetExpression(
  offset: number,
  strides: readonly number[],
  prefix: string,
): string {
  const terms = [floatLiteral(offset)];
  strides.forEach((stride, axis) => {
    if (stride !== 0) terms.push(`${prefix}${axis} * ${floatLiteral(stride)}`);
  });
  return terms.join(' + ');
}

/** A stable text key of layouts, for the kernel cache. */
export function layoutKey(shape: Shape, operands: readonly OperandLayout[]): string {
  return `${shape.join('x')}|${operands.map((o) => `${o.offset}:${o.strides.join(',')}`).join('|')}`;
}

/**
 * Source lines that compute the offset of every operand for the output
 * element `index`, with operands laid out over `shape`: variables `p0, p1, ..`.
 * @param index - the name of the flat output index variable
 * @param shape - the iteration (output) shape
 * @param operands - each operand's layout over `shape`
 */
export function emitOperandOffsets(
  index: string,
  shape: Shape,
  operands: readonly OperandLayout[],
): string[] {
  const merged = mergeAxes(shape, operands);
  const lines = emitCoordinates(index, merged.dims, 'c');
  operands.forEach((operand, k) => {
    lines.push(`const p${k} = ${offsetExpression(operand.offset, merged.strides[k]!, 'c')};`);
  });
  return lines;
}
