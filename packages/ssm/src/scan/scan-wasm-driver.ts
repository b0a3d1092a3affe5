/**
 * The driver of the WebAssembly SIMD selective scan (`wasm/scan-source.ts`):
 * runs the forward recurrence and the reverse scan on operands that lie in
 * @x/tensor's linear memory (the storages of `wasm` tensors, or scratch
 * blocks), splitting the channels across the core's worker pool. Shapes are
 * the kernel's (channels-last, float32, n % 4 == 0):
 *   u, delta, z, out, dt, yRaw: [b, l, d]   A: [d, n]   B, C: [b, l, n] or [d, n]
 *   D, deltaBias: [d]   h0, hLast: [b, d, n]
 *
 * softplus and the sigmoids (of the gate z and, for softplus' derivative, of
 * delta + bias) run as vectorized module kernels (Math.log1p and Math.exp
 * cost about 40 and 13 ns per call, more than the whole scan of a channel);
 * D, the gate's product and the per-channel sums run in JS over views of
 * the same memory. The forward keeps dt and y (before D and the gate); the
 * backward recomputes decays and states per batch row inside the module
 * (into row buffers), as the CUDA kernel does.
 */
import type { WasmKernelContext } from '@x/tensor';

/** Sizes and flags of a scan. */
export interface ScanShape {
  readonly b: number;
  readonly l: number;
  readonly d: number;
  readonly n: number;
  /** B and C are [b, l, n] (else [d, n]). */
  readonly varying: boolean;
  readonly softplus: boolean;
}

/** Byte addresses of the inputs (0 for an absent optional one). */
export interface ScanAddresses {
  readonly u: number;
  readonly delta: number;
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
  readonly z: number;
  readonly deltaBias: number;
  readonly h0: number;
}

/** Byte addresses of the backward's outputs (0 where the input was absent). */
export interface ScanGradAddresses {
  readonly u: number;
  readonly delta: number;
  readonly A: number;
  readonly B: number;
  readonly C: number;
  readonly D: number;
  readonly z: number;
  readonly deltaBias: number;
  readonly h0: number;
}

/** State updates (b l d n) below which a scan runs on one thread. */
export const SCAN_THREAD_THRESHOLD = 1 << 18;

const pad4 = (count: number) => (count + 3) & ~3;

/** i32 values into a fresh scratch block; returns its address. */
function paramBlock(wasm: WasmKernelContext, values: readonly number[]): number {
  const at = wasm.scratch(values.length * 4);
  wasm.i32().set(values, at / 4);
  return at;
}

/** dt = delta + deltaBias into `dt` (softplus is applied by the module). */
function rawSteps(wasm: WasmKernelContext, s: ScanShape, at: ScanAddresses, dt: number): void {
  const count = s.b * s.l * s.d;
  const f32 = wasm.f32();
  if (!at.deltaBias) {
    f32.copyWithin(dt / 4, at.delta / 4, at.delta / 4 + count);
    return;
  }
  const [delta, bias, out] = [at.delta / 4, at.deltaBias / 4, dt / 4];
  for (let j = 0, c = 0; j < count; j++, c = c + 1 === s.d ? 0 : c + 1)
    f32[out + j] = f32[delta + j]! + f32[bias + c]!;
}

/**
 * Forward selective scan: out = (y + D u) * silu(z), the last state, dt
 * and y before D and the gate.
 * @param wasm - the scan module's context (scratch is freed with it)
 * @param s - sizes and flags
 * @param at - the inputs
 * @param out - where to write out, hLast, dt, yRaw (byte addresses of buffers of their sizes, rounded up to 4 floats)
 */
export function scanForwardAt(
  wasm: WasmKernelContext,
  s: ScanShape,
  at: ScanAddresses,
  out: { readonly out: number; readonly hLast: number; readonly dt: number; readonly yRaw: number },
): void {
  const { b, l, d, n } = s;
  const bld = b * l * d;
  if (bld === 0) return;
  const params = paramBlock(wasm, [
    b,
    l,
    d,
    n,
    s.varying ? 1 : 0,
    at.u,
    out.dt,
    at.A,
    at.B,
    at.C,
    out.hLast,
    out.yRaw,
  ]);
  const gate = at.z ? wasm.scratch(pad4(bld) * 4) : 0;
  rawSteps(wasm, s, at, out.dt);
  if (s.softplus) wasm.exports.softplus!(out.dt, out.dt, pad4(bld));
  const dn = d * n * b;
  if (at.h0) wasm.f32().copyWithin(out.hLast / 4, at.h0 / 4, at.h0 / 4 + dn);
  else wasm.f32().fill(0, out.hLast / 4, out.hLast / 4 + dn);
  wasm.parallel(
    'scan_forward',
    { units: d, work: bld * n, threshold: SCAN_THREAD_THRESHOLD },
    (part) => [params, part.start, part.end],
  );
  if (at.z) wasm.exports.sigmoid!(at.z, gate, pad4(bld));
  const f32 = wasm.f32();
  const [y, u, D, z, g, o] = [out.yRaw / 4, at.u / 4, at.D / 4, at.z / 4, gate / 4, out.out / 4];
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    let v = f32[y + j]! + (at.D ? f32[D + c]! : 0) * f32[u + j]!;
    if (at.z) v *= f32[z + j]! * f32[g + j]!;
    f32[o + j] = v;
  }
}

/**
 * Backward selective scan, for a forward that ran `scanForwardAt`: writes
 * every gradient whose address is set (gA, gB, gC, gD and gdeltaBias are
 * overwritten, not accumulated into).
 * @param wasm - the scan module's context
 * @param s - sizes and flags of the forward call
 * @param at - its inputs
 * @param saved - the forward's dt and yRaw
 * @param gOut - dL/d(out), [b, l, d]
 * @param grads - where the gradients go
 */
export function scanBackwardAt(
  wasm: WasmKernelContext,
  s: ScanShape,
  at: ScanAddresses,
  saved: { readonly dt: number; readonly yRaw: number },
  gOut: number,
  grads: ScanGradAddresses,
): void {
  const { b, l, d, n } = s;
  const bld = b * l * d;
  const dn = d * n;
  const bcLength = s.varying ? b * l * n : dn;
  const f32Zero = (address: number, count: number) =>
    wasm.f32().fill(0, address / 4, address / 4 + count);
  for (const [address, count] of [
    [grads.A, dn],
    [grads.B, bcLength],
    [grads.C, bcLength],
  ] as const)
    f32Zero(address, count);
  if (bld === 0) return;
  const gy = wasm.scratch(pad4(bld) * 4);
  const gdt = wasm.scratch(pad4(bld) * 4);
  const gu = grads.u || wasm.scratch(pad4(bld) * 4);
  const states = wasm.scratch((l + 1) * dn * 4);
  const carry = wasm.scratch(dn * 4);
  const decay = wasm.scratch(l * dn * 4);
  const gh0 = grads.h0 || wasm.scratch(b * dn * 4);
  const h0 = at.h0 || wasm.scratch(b * dn * 4);
  if (!at.h0) f32Zero(h0, b * dn);
  const gate = at.z ? wasm.scratch(pad4(bld) * 4) : 0;
  const slope = s.softplus ? wasm.scratch(pad4(bld) * 4) : 0;
  const params = paramBlock(wasm, [
    b,
    l,
    d,
    n,
    s.varying ? 1 : 0,
    at.u,
    saved.dt,
    at.A,
    at.B,
    at.C,
    h0,
    gy,
    states,
    carry,
    gu,
    gdt,
    grads.A,
    gh0,
    decay,
  ]);
  if (at.z) wasm.exports.sigmoid!(at.z, gate, pad4(bld));
  if (s.softplus) {
    rawSteps(wasm, s, at, slope);
    wasm.exports.sigmoid!(slope, slope, pad4(bld));
  }
  // dL/dy before D and the gate (and dL/dz)
  let f32 = wasm.f32();
  const [u, D, z, yRaw, go, g, gyAt, gz] = [
    at.u / 4,
    at.D / 4,
    at.z / 4,
    saved.yRaw / 4,
    gOut / 4,
    gate / 4,
    gy / 4,
    grads.z / 4,
  ];
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    let v = f32[go + j]!;
    if (at.z) {
      const zz = f32[z + j]!;
      const sg = f32[g + j]!;
      const pre = f32[yRaw + j]! + (at.D ? f32[D + c]! : 0) * f32[u + j]!;
      if (grads.z) f32[gz + j] = v * pre * sg * (1 + zz * (1 - sg));
      v *= zz * sg;
    }
    f32[gyAt + j] = v;
  }
  // B and C gradients of input-dependent B / C sum over channels: one buffer per extra thread
  const partials: number[] = [];
  wasm.parallel(
    'scan_backward',
    { units: d, work: bld * n, threshold: SCAN_THREAD_THRESHOLD },
    (part) => {
      if (part.thread === 0 || !s.varying) return [params, part.start, part.end, grads.B, grads.C];
      const block = wasm.scratch(2 * bcLength * 4);
      f32Zero(block, 2 * bcLength);
      partials.push(block);
      return [params, part.start, part.end, block, block + bcLength * 4];
    },
  );
  f32 = wasm.f32();
  for (const block of partials) {
    const [pb, pc, tb, tc] = [block / 4, block / 4 + bcLength, grads.B / 4, grads.C / 4];
    for (let i = 0; i < bcLength; i++) {
      f32[tb + i] = f32[tb + i]! + f32[pb + i]!;
      f32[tc + i] = f32[tc + i]! + f32[pc + i]!;
    }
  }
  const sumD = new Float64Array(d);
  const sumBias = new Float64Array(d);
  const [gd, sl, gdAt, guAt] = [gdt / 4, slope / 4, grads.delta / 4, gu / 4];
  for (let j = 0, c = 0; j < bld; j++, c = c + 1 === d ? 0 : c + 1) {
    const gyv = f32[gyAt + j]!;
    if (at.D) {
      f32[guAt + j] = f32[guAt + j]! + gyv * f32[D + c]!;
      sumD[c]! += gyv * f32[u + j]!;
    }
    const gRaw = s.softplus ? f32[gd + j]! * f32[sl + j]! : f32[gd + j]!;
    if (grads.delta) f32[gdAt + j] = gRaw;
    sumBias[c]! += gRaw;
  }
  if (grads.D) f32.set(sumD, grads.D / 4);
  if (grads.deltaBias) f32.set(sumBias, grads.deltaBias / 4);
}
