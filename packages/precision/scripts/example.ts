/**
 * The README's example: `npx tsx --conditions=@x/source scripts/example.ts`.
 */
import {
  errorStats,
  float16ToFloat32,
  float32ToFloat8E4M3,
  float32ToFloat16,
  fromFloat16Bits,
  GradScaler,
  MasterWeights,
  quantizeInt8,
  roundToBFloat16,
  toFloat8E4M3Bits,
  toFloat16Bits,
} from '@x/precision';

// Scalars, exact to the bit.
console.log(toFloat16Bits(65504).toString(16), toFloat16Bits(1e-8), fromFloat16Bits(0x3555));
console.log(
  roundToBFloat16(1 / 3),
  toFloat8E4M3Bits(500).toString(16),
  toFloat8E4M3Bits(500, { saturate: true }).toString(16),
);

// Bulk: float32 -> float16 -> float32, and the error it made.
const x = new Float32Array([0.1, -2.5, 1e-6, 70000, Number.NaN]);
const half = float32ToFloat16(x);
console.log(half, float16ToFloat32(half));
const y = new Float32Array(1000).map((_, i) => Math.sin(i));
const stats = errorStats(y, float16ToFloat32(float32ToFloat16(y)));
console.log(stats.maxRelError.toExponential(3), stats.sqnrDb.toFixed(1));

// fp8 with saturation, stochastic rounding, int8.
console.log(float32ToFloat8E4M3(new Float32Array([1, 300, 1000]), undefined, { saturate: true }));
console.log(
  float32ToFloat16(new Float32Array(8).fill(1 + 2 ** -12), undefined, {
    rounding: 'stochastic',
    seed: 7,
  }),
);
const q = quantizeInt8(new Float32Array([-1, 0, 0.5, 2]), { scheme: 'asymmetric' });
console.log(q.values, q.scales[0], q.zeroPoints[0]);

// Mixed precision: loss scaling and fp32 master weights.
const scaler = new GradScaler();
const master = MasterWeights.fromFloat32([new Float32Array([1, 2])]);
const halfGrads = [
  float32ToFloat16(new Float32Array([scaler.scaleValue(1e-6), scaler.scaleValue(-2e-6)])),
];
master.loadGrads(halfGrads);
const { stepped } = scaler.step(master.grads, () => {
  master.params[0]!.forEach((w, i) => {
    master.params[0]![i] = w - 100 * master.grads[0]![i]!;
  });
});
master.syncToHalf();
scaler.update();
console.log(
  stepped,
  master.grads[0],
  master.params[0],
  float16ToFloat32(master.half[0]!),
  scaler.scale,
);
