/**
 * A small dependency-free SVG writer for the experiment's two plots: a line
 * chart (loss curves) and a bar chart over log2 bins with shaded bands (the
 * activation-gradient histogram with fp16's ranges). Plain strings, no DOM.
 */

/** A line series: points in data coordinates. */
export interface LineSeries {
  name: string;
  color: string;
  points: [number, number][];
  /** Stroke width. @default 1.5 */
  width?: number;
  /** SVG stroke-dasharray. */
  dash?: string;
  /** Draw a dot at every point. @default false */
  markers?: boolean;
  /** Stroke opacity. @default 1 */
  opacity?: number;
}

/** A shaded vertical band with a label. */
export interface Band {
  from: number;
  to: number;
  color: string;
  label: string;
}

/** A vertical reference line with a label. */
export interface Rule {
  at: number;
  label: string;
}

/** A bar series over integer bins. */
export interface BarSeries {
  name: string;
  color: string;
  /** [bin, value]: the bar spans [bin, bin + 1). */
  bars: [number, number][];
  /** Draw outlines only (to overlay a second histogram). @default false */
  outline?: boolean;
}

/** Axes, size and title of a chart. */
export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xRange?: [number, number];
  yRange?: [number, number];
  /** Format an x tick label. */
  xTick?: (x: number) => string;
  /** Distance between x ticks (data units), starting at the left end of the range. */
  xStep?: number;
}

const MARGIN = { left: 64, right: 16, top: 36, bottom: 48 };

/** Escapes text for SVG. */
function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Round numbers for tick labels: about `count` ticks spanning [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toFixed(10)));
  return out;
}

function fmt(v: number): string {
  return Number(v.toFixed(2)).toString();
}

/** Frame, axes, ticks and title; returns the SVG parts and the coordinate maps. */
function frame(options: ChartOptions, xRange: [number, number], yRange: [number, number]) {
  const width = options.width ?? 720;
  const height = options.height ?? 420;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * plotW;
  const sy = (y: number) => MARGIN.top + (1 - (y - yRange[0]) / (yRange[1] - yRange[0])) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`,
  ];
  const axes: string[] = [];
  const step = options.xStep;
  const xTicks =
    step === undefined
      ? niceTicks(xRange[0], xRange[1])
      : Array.from(
          { length: Math.floor((xRange[1] - xRange[0]) / step) + 1 },
          (_, i) => xRange[0] + i * step,
        );
  for (const t of xTicks) {
    const x = sx(t);
    axes.push(
      `<line x1="${fmt(x)}" y1="${MARGIN.top + plotH}" x2="${fmt(x)}" y2="${MARGIN.top + plotH + 4}" stroke="#333"/>`,
      `<text x="${fmt(x)}" y="${MARGIN.top + plotH + 17}" text-anchor="middle">${escapeXml(options.xTick ? options.xTick(t) : String(t))}</text>`,
    );
  }
  for (const t of niceTicks(yRange[0], yRange[1], 5)) {
    const y = sy(t);
    axes.push(
      `<line x1="${MARGIN.left}" y1="${fmt(y)}" x2="${MARGIN.left + plotW}" y2="${fmt(y)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y + 4)}" text-anchor="end">${t}</text>`,
    );
  }
  axes.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    `<text x="16" y="${MARGIN.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  return { parts, axes, sx, sy, plotW, plotH };
}

function legend(entries: { name: string; color: string; dash?: string }[], x: number, y: number) {
  if (entries.length === 0) return [];
  const width = 40 + 6.6 * Math.max(...entries.map((e) => e.name.length));
  const background = `<rect x="${x - 6}" y="${y - 10}" width="${fmt(width)}" height="${entries.length * 16 + 4}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`;
  return [
    background,
    ...entries.flatMap((e, i) => [
      `<line x1="${x}" y1="${y + i * 16}" x2="${x + 22}" y2="${y + i * 16}" stroke="${e.color}" stroke-width="2.5"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`,
      `<text x="${x + 28}" y="${y + i * 16 + 4}">${escapeXml(e.name)}</text>`,
    ]),
  ];
}

function extent(values: number[], pad = 0): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return [lo - span * pad, hi + span * pad];
}

/**
 * A line chart.
 * @returns the SVG document
 */
export function lineChart(series: LineSeries[], options: ChartOptions): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xRange = options.xRange ?? extent(xs);
  const yRange = options.yRange ?? extent(ys, 0.05);
  const { parts, axes, sx, sy, plotW } = frame(options, xRange, yRange);
  for (const s of series) {
    const d = s.points
      .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(sx(x))},${fmt(sy(y))}`)
      .join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.5}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} stroke-opacity="${s.opacity ?? 1}"/>`,
    );
    if (s.markers)
      for (const [x, y] of s.points)
        parts.push(`<circle cx="${fmt(sx(x))}" cy="${fmt(sy(y))}" r="2.5" fill="${s.color}"/>`);
  }
  const named = series.filter((s) => s.name !== '');
  parts.push(...axes, ...legend(named, MARGIN.left + plotW - 330, MARGIN.top + 16), '</svg>');
  return `${parts.join('\n')}\n`;
}

/**
 * A bar chart over integer bins, with shaded bands and reference lines behind the bars.
 * @returns the SVG document
 */
export function barChart(
  series: BarSeries[],
  options: ChartOptions & { bands?: Band[]; rules?: Rule[] },
): string {
  const bins = series.flatMap((s) => s.bars.map((b) => b[0]));
  const values = series.flatMap((s) => s.bars.map((b) => b[1]));
  const xRange = options.xRange ?? [Math.min(...bins), Math.max(...bins) + 1];
  const yRange = options.yRange ?? [0, Math.max(...values) * 1.1];
  const { parts, axes, sx, sy, plotH } = frame(options, xRange, yRange);
  const clampX = (x: number) => sx(Math.min(Math.max(x, xRange[0]), xRange[1]));
  for (const band of options.bands ?? []) {
    const x0 = clampX(band.from);
    const x1 = clampX(band.to);
    parts.push(
      `<rect x="${fmt(x0)}" y="${MARGIN.top}" width="${fmt(x1 - x0)}" height="${plotH}" fill="${band.color}"/>`,
      `<text x="${fmt((x0 + x1) / 2)}" y="${MARGIN.top + 14}" text-anchor="middle" fill="#444">${escapeXml(band.label)}</text>`,
    );
  }
  for (const rule of options.rules ?? []) {
    const x = sx(rule.at);
    parts.push(
      `<line x1="${fmt(x)}" y1="${MARGIN.top}" x2="${fmt(x)}" y2="${MARGIN.top + plotH}" stroke="#555" stroke-dasharray="4 3"/>`,
      `<text x="${fmt(x + 3)}" y="${MARGIN.top + 30}" fill="#333">${escapeXml(rule.label)}</text>`,
    );
  }
  for (const s of series) {
    for (const [bin, value] of s.bars) {
      if (bin < xRange[0] || bin >= xRange[1] || value <= 0) continue;
      const x0 = sx(bin) + 1;
      const w = sx(bin + 1) - sx(bin) - 2;
      const y = sy(value);
      parts.push(
        s.outline
          ? `<rect x="${fmt(x0)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(sy(0) - y)}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`
          : `<rect x="${fmt(x0)}" y="${fmt(y)}" width="${fmt(w)}" height="${fmt(sy(0) - y)}" fill="${s.color}"/>`,
      );
    }
  }
  parts.push(...axes, ...legend(series, MARGIN.left + 12, MARGIN.top + 48), '</svg>');
  return `${parts.join('\n')}\n`;
}
