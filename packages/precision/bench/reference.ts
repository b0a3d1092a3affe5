/**
 * Version 0 of every bulk conversion: the plain JavaScript bit-twiddling loop
 * one would write first (per-element branches on the exponent, integer
 * rounding), for float16, bfloat16, E4M3 and E5M2, both directions. Correct
 * (the bench validates it against the package before timing) and the
 * baseline of the speed ratios.
 */

/**
 * Branchy float32 -> fp8 encoder, round-to-nearest-even; NaN -> canonical quiet NaN.
 * (Uint8Array only: one array type per loop keeps V8's element accesses monomorphic.)
 */
function encodeLoop(
  src: Float32Array,
  dst: Uint8Array,
  exponentBits: number,
  mantissaBits: number,
  fn: boolean,
): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  const bias = 2 ** (exponentBits - 1) - 1;
  const shift = 23 - mantissaBits;
  const top = 2 ** exponentBits - 1;
  const signShift = 31 - (exponentBits + mantissaBits);
  const maxCode = fn
    ? top * 2 ** mantissaBits + 2 ** mantissaBits - 2
    : (top - 1) * 2 ** mantissaBits + 2 ** mantissaBits - 1;
  const overflow = fn ? maxCode + 1 : top << mantissaBits;
  const nan = fn ? maxCode + 1 : (top << mantissaBits) | (1 << (mantissaBits - 1));
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 31) << (31 - signShift);
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      dst[i] = sign | (mantissa !== 0 ? nan : overflow);
      continue;
    }
    const e = exponent - 127 + bias;
    if (e <= 0) {
      // Subnormal result (or zero).
      if (e < -mantissaBits) {
        dst[i] = sign;
        continue;
      }
      mantissa |= 0x800000;
      const s = shift + 1 - e;
      let h = mantissa >>> s;
      const rest = mantissa & ((1 << s) - 1);
      const half = 1 << (s - 1);
      if (rest > half || (rest === half && (h & 1) === 1)) h++;
      dst[i] = sign | h;
      continue;
    }
    if (e > top) {
      dst[i] = sign | overflow;
      continue;
    }
    let h = (e << mantissaBits) | (mantissa >>> shift);
    const rest = mantissa & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1) === 1)) h++;
    dst[i] = sign | (h > maxCode ? overflow : h);
  }
}

/** Branchy fp8 -> float32 decoder building the float32 bit pattern. */
function decodeLoop(
  src: Uint8Array,
  dst: Float32Array,
  exponentBits: number,
  mantissaBits: number,
  fn: boolean,
): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  const bias = 2 ** (exponentBits - 1) - 1;
  const shift = 23 - mantissaBits;
  const top = 2 ** exponentBits - 1;
  const mantissaMask = 2 ** mantissaBits - 1;
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = ((h >>> (exponentBits + mantissaBits)) & 1) << 31;
    const e = (h >>> mantissaBits) & top;
    let m = h & mantissaMask;
    if (e === top && (!fn || m === mantissaMask)) {
      bits[i] = sign | 0x7f800000 | (fn ? 0x400000 : m << shift);
    } else if (e === 0) {
      if (m === 0) {
        bits[i] = sign;
      } else {
        let exponent = 127 - bias + 1;
        while ((m & (mantissaMask + 1)) === 0) {
          m <<= 1;
          exponent--;
        }
        bits[i] = sign | (exponent << 23) | ((m & mantissaMask) << shift);
      }
    } else {
      bits[i] = sign | ((e - bias + 127) << 23) | (m << shift);
    }
  }
}

/** The classic float32 -> float16 loop, round-to-nearest-even. */
function encodeFloat16(src: Float32Array, dst: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i]!;
    const sign = (x >>> 16) & 0x8000;
    const exponent = (x >>> 23) & 0xff;
    let mantissa = x & 0x7fffff;
    if (exponent === 0xff) {
      dst[i] = sign | (mantissa !== 0 ? 0x7e00 : 0x7c00);
    } else if (exponent < 113) {
      if (exponent < 102) {
        dst[i] = sign;
      } else {
        mantissa |= 0x800000;
        const s = 126 - exponent;
        let h = mantissa >>> s;
        const rest = mantissa & ((1 << s) - 1);
        const half = 1 << (s - 1);
        if (rest > half || (rest === half && (h & 1) === 1)) h++;
        dst[i] = sign | h;
      }
    } else if (exponent > 142) {
      dst[i] = sign | 0x7c00;
    } else {
      let h = ((exponent - 112) << 10) | (mantissa >>> 13);
      const rest = mantissa & 0x1fff;
      if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++;
      dst[i] = sign | h;
    }
  }
}

/** The classic float16 -> float32 loop. */
function decodeFloat16(src: Uint16Array, dst: Float32Array): void {
  const bits = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i]!;
    const sign = (h & 0x8000) << 16;
    const e = (h >>> 10) & 0x1f;
    let m = h & 0x3ff;
    if (e === 0x1f) {
      bits[i] = sign | 0x7f800000 | (m << 13);
    } else if (e === 0) {
      if (m === 0) {
        bits[i] = sign;
      } else {
        let exponent = 113;
        while ((m & 0x400) === 0) {
          m <<= 1;
          exponent--;
        }
        bits[i] = sign | (exponent << 23) | ((m & 0x3ff) << 13);
      }
    } else {
      bits[i] = sign | ((e + 112) << 23) | (m << 13);
    }
  }
}

/** The plain loops, per format. */
export const REFERENCE = {
  float16: { encode: encodeFloat16, decode: decodeFloat16 },
  bfloat16: {
    encode: (src: Float32Array, dst: Uint16Array) => {
      const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
      for (let i = 0; i < bits.length; i++) {
        const x = bits[i]!;
        if ((x & 0x7fffffff) > 0x7f800000) dst[i] = (x >>> 16) | 0x40;
        else dst[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
      }
    },
    decode: (src: Uint16Array, dst: Float32Array) => {
      const bits = new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
      for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
    },
  },
  float8e4m3: {
    encode: (src: Float32Array, dst: Uint8Array) => encodeLoop(src, dst, 4, 3, true),
    decode: (src: Uint8Array, dst: Float32Array) => decodeLoop(src, dst, 4, 3, true),
  },
  float8e5m2: {
    encode: (src: Float32Array, dst: Uint8Array) => encodeLoop(src, dst, 5, 2, false),
    decode: (src: Uint8Array, dst: Float32Array) => decodeLoop(src, dst, 5, 2, false),
  },
} as const;
