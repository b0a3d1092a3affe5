/**
 * Data types. Storage of each dtype is one typed array kind; `float16` and
 * `bfloat16` are reserved names that arrive with @x/precision (16-bit words,
 * computed in float32).
 */
import { DTypeError } from './errors.js';

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Every dtype name, in promotion order (lowest first). */
export const DTYPES = ['bool', 'int32', 'float32', 'float64'] as const satisfies readonly DType[];

/** Any typed array a tensor's values can be read into. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The typed array type that stores each dtype. */
export type ArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : Uint8Array;

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/**
 * Checks a dtype name given by a user.
 * @param op - the calling operation, for the error message
 * @param dtype - the value to check
 * @returns the dtype, typed
 * @throws DTypeError when it is not a known dtype
 */
export function checkDType(op: string, dtype: unknown): DType {
  if (typeof dtype === 'string' && dtype in constructors) return dtype as DType;
  throw new DTypeError(
    op,
    `unknown dtype ${JSON.stringify(dtype)}, expected one of ${DTYPES.join(', ')}`,
    String(dtype),
  );
}

/**
 * Allocates a zero-filled typed array for a dtype.
 * @param dtype - element type
 * @param length - number of elements
 * @returns the array
 */
export function allocArray(dtype: DType, length: number): TypedArray {
  return new constructors[dtype](length);
}

/** The bytes one element of `dtype` takes in storage. */
export function itemSize(dtype: DType): number {
  return constructors[dtype].BYTES_PER_ELEMENT;
}

/** The dtype whose storage is this typed array, or undefined for other arrays. */
export function dtypeOfArray(array: ArrayBufferView): DType | undefined {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint8Array) return 'bool';
  return undefined;
}

/** True for the floating-point dtypes. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * The dtype of a binary op's result (NumPy/PyTorch-style promotion: the
 * higher of the two in `bool < int32 < float32 < float64`).
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/**
 * Converts one value to what storing it in `dtype` gives: truncation toward
 * zero for int32 (NaN becomes 0), `x !== 0` for bool, float32 rounding.
 */
export function castScalar(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
    case 'int32':
      return Number.isNaN(value) ? 0 : value | 0;
    case 'bool':
      return value !== 0 ? 1 : 0;
  }
}
