/**
 * The loss curve as a small standalone SVG: training loss per step (a thin
 * line, smoothed over a window) and validation loss at its steps (a thick
 * line with dots), step on x, nats per token on y, with ticks and a legend.
 * Hand-written: the SVG is ~60 elements, and the charting libraries that
 * render SVG without a browser (vega) weigh megabytes.
 */
import type { LossPoint } from './trainer.js';

/** Options of `lossCurveSvg`. */
export interface LossPlotOptions {
  /** Title above the plot. @default 'Loss' */
  title?: string;
  /** Size in pixels. @default 640 x 360 */
  width?: number;
  height?: number;
  /** Moving-average window of the training curve. @default 25 */
  smoothing?: number;
  /** Horizontal reference lines, e.g. `{ value: 1.70, label: 'goal' }`. */
  references?: readonly { value: number; label: string }[];
}

function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Renders the loss history as an SVG document.
 * @param history - loss points (from `Trainer.history`)
 * @param options - title, size, smoothing, reference lines
 * @returns the SVG text
 * @example
 * writeFileSync('loss.svg', lossCurveSvg(trainer.history, { title: 'char-small' }));
 */
export function lossCurveSvg(history: readonly LossPoint[], options: LossPlotOptions = {}): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const window = options.smoothing ?? 25;
  const margin = { left: 56, right: 16, top: 36, bottom: 44 };
  const train = history.map((p, i) => {
    const from = Math.max(0, i - window + 1);
    let sum = 0;
    for (let j = from; j <= i; j++) sum += history[j]!.train;
    return { step: p.step, loss: sum / (i - from + 1) };
  });
  const val = history
    .filter((p) => p.val !== undefined)
    .map((p) => ({ step: p.step, loss: p.val! }));
  const all = [
    ...train.map((p) => p.loss),
    ...val.map((p) => p.loss),
    ...(options.references ?? []).map((r) => r.value),
  ].filter(Number.isFinite);
  const maxStep = Math.max(1, ...history.map((p) => p.step));
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const pad = (hi - lo) * 0.05 || 0.1;
  const yMin = lo - pad;
  const yMax = hi + pad;
  const x = (step: number) => margin.left + (step / maxStep) * (width - margin.left - margin.right);
  const y = (loss: number) =>
    margin.top + ((yMax - loss) / (yMax - yMin)) * (height - margin.top - margin.bottom);
  const path = (points: { step: number; loss: number }[]) =>
    points
      .map((p, i) => `${i ? 'L' : 'M'}${x(p.step).toFixed(1)},${y(p.loss).toFixed(1)}`)
      .join('');
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(options.title ?? 'Loss')}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title ?? 'Loss')}</text>`,
  ];
  for (const t of niceTicks(yMin, yMax, 6))
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${margin.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`,
    );
  for (const t of niceTicks(0, maxStep, 6))
    parts.push(
      `<text x="${x(t).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${t}</text>`,
    );
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#333"/>`,
    `<text x="${(margin.left + width - margin.right) / 2}" y="${height - 8}" text-anchor="middle">step</text>`,
    `<text transform="translate(14 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">loss (nats / token)</text>`,
  );
  for (const r of options.references ?? [])
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(r.value).toFixed(1)}" y2="${y(r.value).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
      `<text x="${width - margin.right - 4}" y="${(y(r.value) - 4).toFixed(1)}" text-anchor="end" fill="#666">${escapeXml(r.label)}</text>`,
    );
  if (train.length)
    parts.push(`<path d="${path(train)}" fill="none" stroke="#7aa6d8" stroke-width="1.2"/>`);
  if (val.length) {
    parts.push(`<path d="${path(val)}" fill="none" stroke="#c0392b" stroke-width="2"/>`);
    for (const p of val)
      parts.push(
        `<circle cx="${x(p.step).toFixed(1)}" cy="${y(p.loss).toFixed(1)}" r="2.5" fill="#c0392b"/>`,
      );
  }
  const legendX = width - margin.right - 150;
  parts.push(
    `<line x1="${legendX}" x2="${legendX + 20}" y1="${margin.top + 8}" y2="${margin.top + 8}" stroke="#7aa6d8" stroke-width="2"/>`,
    `<text x="${legendX + 26}" y="${margin.top + 12}">train (smoothed)</text>`,
  );
  if (val.length)
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 20}" y1="${margin.top + 26}" y2="${margin.top + 26}" stroke="#c0392b" stroke-width="2"/>`,
      `<text x="${legendX + 26}" y="${margin.top + 30}">validation</text>`,
    );
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
