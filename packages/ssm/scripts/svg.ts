/**
 * A small SVG line-chart writer for the package's docs (no dependencies):
 * linear or log axes, several series, a legend, tick labels.
 */

/** One line of a chart. */
export interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color: string;
  /** Dashed line. @default false */
  readonly dashed?: boolean;
}

/** A chart. */
export interface Chart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logX?: boolean;
  readonly logY?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** Points drawn per series at most (every k-th sample). @default 500 */
  readonly maxPoints?: number;
}

function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
      out.push(10 ** e);
    return out.filter((v) => v >= min / 1.0001 && v <= max * 1.0001);
  }
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-12; v += nice)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function label(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-2) return Number(v.toPrecision(3)).toExponential();
  if (a >= 1e3 && Number.isInteger(v)) return v.toLocaleString('en-US');
  return String(Number(v.toPrecision(3)));
}

/**
 * Renders a chart as an SVG document.
 * @param chart - title, axes, series
 * @returns the SVG text
 */
export function lineChart(chart: Chart): string {
  const W = chart.width ?? 640;
  const H = chart.height ?? 400;
  const left = 70;
  const right = 170;
  const top = 40;
  const bottom = 50;
  const xs = chart.series.flatMap((s) => s.x).filter((v) => !chart.logX || v > 0);
  const ys = chart.series
    .flatMap((s) => s.y)
    .filter((v) => Number.isFinite(v) && (!chart.logY || v > 0));
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (chart.logY) [y0, y1] = [10 ** Math.floor(Math.log10(y0)), 10 ** Math.ceil(Math.log10(y1))];
  else {
    const pad = (y1 - y0) * 0.05 || 1;
    [y0, y1] = [y0 - pad, y1 + pad];
  }
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const fx = (v: number) =>
    left +
    ((chart.logX ? Math.log(v) - Math.log(x0) : v - x0) /
      (chart.logX ? Math.log(x1) - Math.log(x0) : x1 - x0)) *
      (W - left - right);
  const fy = (v: number) =>
    H -
    bottom -
    ((chart.logY ? Math.log(v) - Math.log(y0) : v - y0) /
      (chart.logY ? Math.log(y1) - Math.log(y0) : y1 - y0)) *
      (H - top - bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${chart.title}</title>`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2 - right / 2 + left / 2}" y="22" text-anchor="middle" font-size="15">${chart.title}</text>`,
    `<text x="${(left + W - right) / 2}" y="${H - 10}" text-anchor="middle">${chart.xLabel}</text>`,
    `<text transform="translate(16 ${(top + H - bottom) / 2}) rotate(-90)" text-anchor="middle">${chart.yLabel}</text>`,
  ];
  for (const v of ticks(x0, x1, chart.logX ?? false)) {
    parts.push(
      `<line x1="${fx(v)}" y1="${top}" x2="${fx(v)}" y2="${H - bottom}" stroke="#eee"/>`,
      `<text x="${fx(v)}" y="${H - bottom + 16}" text-anchor="middle">${label(v)}</text>`,
    );
  }
  for (const v of ticks(y0, y1, chart.logY ?? false)) {
    parts.push(
      `<line x1="${left}" y1="${fy(v)}" x2="${W - right}" y2="${fy(v)}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${fy(v) + 4}" text-anchor="end">${label(v)}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${W - left - right}" height="${H - top - bottom}" fill="none" stroke="#888"/>`,
  );
  chart.series.forEach((s, i) => {
    const stride = Math.max(1, Math.ceil(s.x.length / (chart.maxPoints ?? 500)));
    const points = s.x
      .map((x, j) => [x, s.y[j]!] as const)
      .filter((_, j) => j % stride === 0 || j === s.x.length - 1)
      .filter(([x, y]) => Number.isFinite(y) && (!chart.logX || x > 0) && (!chart.logY || y > 0))
      .map(([x, y]) => `${fx(x).toFixed(1)},${fy(y).toFixed(1)}`)
      .join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<line x1="${W - right + 12}" y1="${top + 10 + i * 18}" x2="${W - right + 36}" y2="${top + 10 + i * 18}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`,
      `<text x="${W - right + 42}" y="${top + 14 + i * 18}">${s.name}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
