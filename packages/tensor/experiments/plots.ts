/**
 * The experiment's two figures, drawn with `svg.ts`: the loss curves of the
 * runs, and the histogram of activation-gradient magnitudes (log2 bins) with
 * fp16's flush-to-zero, subnormal and normal ranges shaded, after Figure 3 of
 * Micikevicius et al. 2018.
 */
import type { GradientCensus } from './gradient-census.js';
import { barChart, type LineSeries, lineChart } from './svg.js';
import { REGIMES, type RegimeName, type RunResult } from './train.js';

/** One color per regime. */
export const REGIME_COLORS: Record<RegimeName, string> = {
  fp32: '#222222',
  mixed: '#1f77b4',
  fp16: '#d62728',
  'fp16-master': '#ff7f0e',
};

function movingAverage(values: number[], window: number): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  values.forEach((v, i) => {
    sum += v;
    if (i >= window) sum -= values[i - window]!;
    if (i >= window - 1) out.push([i + 1, sum / window]);
  });
  return out;
}

/**
 * Held-out loss (lines with dots) and training loss (moving average, faint) of every run.
 * @returns the SVG document
 */
export function lossChart(results: RunResult[], subtitle: string): string {
  const series: LineSeries[] = [];
  for (const r of results) {
    const color = REGIME_COLORS[r.regime];
    const dash = r.regime === 'fp16-master' ? '6 4' : undefined;
    // fp32 is drawn wide underneath, so a run that tracks it (mixed) stays visible on top.
    const wide = r.regime === 'fp32';
    series.push({
      name: '',
      color,
      points: movingAverage(r.trainLoss, 20),
      width: 1,
      opacity: 0.35,
      ...(dash ? { dash } : {}),
    });
    series.push({
      name: `${REGIMES[r.regime].label}: ${r.finalLoss.toFixed(3)}`,
      color,
      points: r.heldOut.map((h) => [h.step, h.loss] as [number, number]),
      width: wide ? 5 : 2,
      opacity: wide ? 0.45 : 1,
      markers: true,
      ...(dash ? { dash } : {}),
    });
  }
  return lineChart(series, {
    title: `Char-level MLP on tinyshakespeare: loss per precision regime (${subtitle})`,
    xLabel: 'step (held-out loss: dots; training loss, 20-step mean: faint)',
    yLabel: 'cross-entropy (nats / char)',
  });
}

/**
 * The activation-gradient histogram: fp32 values as bars; optionally the
 * loss-scaled values of the mixed run and the actual fp16 values of the pure
 * fp16 run as outlines. Zeros get their own column at the left.
 * @returns the SVG document
 */
export function histogramChart(
  fp32: GradientCensus,
  overlays: { name: string; color: string; census: GradientCensus }[],
  subtitle: string,
): string {
  const all = [fp32, ...overlays.map((o) => o.census)];
  // Bins holding at least 0.01% of some run's values set the range; rarer outliers are not drawn.
  const bins = all.flatMap((c) =>
    [...c.binades].filter(([, n]) => n >= 1e-4 * c.counts.total).map(([e]) => e),
  );
  const first = Math.floor(Math.min(...bins) / 4) * 4;
  const hi = Math.max(Math.ceil((Math.max(...bins) + 1) / 4) * 4, 0);
  const lo = first - 4;
  const zeroBin = lo;
  const bars = (c: GradientCensus): [number, number][] => [
    [zeroBin, (100 * c.counts.zero) / c.counts.total],
    ...[...c.binades].map(([e, n]) => [e, (100 * n) / c.counts.total] as [number, number]),
  ];
  return barChart(
    [
      { name: 'fp32 run: activation gradients', color: '#8fa8c8', bars: bars(fp32) },
      ...overlays.map((o) => ({
        name: o.name,
        color: o.color,
        bars: bars(o.census),
        outline: true,
      })),
    ],
    {
      title: `Activation-gradient magnitudes, all layers (${subtitle})`,
      xLabel: '|gradient| (log2 bins; the first column counts exact zeros)',
      yLabel: '% of values',
      xRange: [lo, hi],
      xStep: 4,
      xTick: (t) => (t === zeroBin ? '0' : `2^${t}`),
      bands: [
        { from: first - 1, to: -25, color: '#f8d7d3', label: 'flush to 0 in fp16' },
        { from: -25, to: -14, color: '#fcefc7', label: 'fp16 subnormal' },
        { from: -14, to: hi, color: '#dcefd5', label: 'fp16 normal' },
      ],
    },
  );
}
