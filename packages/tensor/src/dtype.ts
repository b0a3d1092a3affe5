/**
 * Data types. Storage of each dtype is one typed array kind; `float16` and
 * `bfloat16` are stored as 16-bit codes in a Uint16Array (converted by
 * @x/precision, exactly, with round-to-nearest-even) and computed in float32.
 */
import {
  bfloat16ToFloat32,
  float16ToFloat32,
  float32ToBFloat16,
  float32ToFloat16,
  fromBFloat16Bits,
  fromFloat16Bits,
  toBFloat16Bits,
  toFloat16Bits,
} from '@x/precision';
import { DTypeError } from './errors.js';

/** The element types a tensor can hold. */
export type DType = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int32' | 'bool';

/** Every dtype name, in promotion order (lowest first; float16 and bfloat16 promote to float32 together). */
export const DTYPES = [
  'bool',
  'int32',
  'float16',
  'bfloat16',
  'float32',
  'float64',
] as const satisfies readonly DType[];

/** Any typed array a tensor's storage can be. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array | Uint16Array;

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
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
 * Allocates a zero-filled storage array for a dtype (a Uint16Array of codes for the 16-bit floats).
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

/** The dtype whose storage is this typed array; undefined for Uint16Array (float16 or bfloat16: say which) and others. */
export function dtypeOfArray(array: ArrayBufferView): DType | undefined {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint8Array) return 'bool';
  return undefined;
}

/** True for the floating-point dtypes. */
export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';
}

/** True for the 16-bit floating-point dtypes (stored as codes). */
export function isHalf(dtype: DType): dtype is 'float16' | 'bfloat16' {
  return dtype === 'float16' || dtype === 'bfloat16';
}

/**
 * The dtype of a binary op's result (NumPy/PyTorch-style promotion: the
 * higher of the two in `bool < int32 < float16, bfloat16 < float32 < float64`;
 * float16 with bfloat16 gives float32, as PyTorch).
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (isHalf(a) && isHalf(b) && a !== b) return 'float32';
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/**
 * Converts one value to what storing it in `dtype`'s array holds: truncation
 * toward zero for int32 (NaN becomes 0), `x !== 0` for bool, float32
 * rounding, and the 16-bit code (round to nearest even) for float16 / bfloat16.
 */
export function castScalar(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
    case 'float16':
      return toFloat16Bits(value);
    case 'bfloat16':
      return toBFloat16Bits(value);
    case 'int32':
      return Number.isNaN(value) ? 0 : Math.trunc(value) | 0;
    case 'bool':
      return value !== 0 ? 1 : 0;
  }
}

/** The value of one stored element (decodes the 16-bit codes; identity otherwise). */
export function decodeScalar(stored: number, dtype: DType): number {
  if (dtype === 'float16') return fromFloat16Bits(stored);
  if (dtype === 'bfloat16') return fromBFloat16Bits(stored);
  return stored;
}

/** Decodes 16-bit float codes to float32, exactly (bulk, via @x/precision). */
export function decodeHalf(codes: Uint16Array, dtype: 'float16' | 'bfloat16'): Float32Array {
  return dtype === 'float16' ? float16ToFloat32(codes) : bfloat16ToFloat32(codes);
}

/** Encodes float32 values to 16-bit float codes, rounding to nearest even (bulk, via @x/precision). */
export function encodeHalf(values: Float32Array, dtype: 'float16' | 'bfloat16'): Uint16Array {
  return dtype === 'float16' ? float32ToFloat16(values) : float32ToBFloat16(values);
}
