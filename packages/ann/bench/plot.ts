/**
 * Draws recall@10 / QPS curves as a standalone SVG (no dependencies): recall
 * on the x axis, queries per second on a log y axis, one polyline per index,
 * the ann-benchmarks convention (up and to the right is better).
 *
 *   npx tsx bench/plot.ts [bench/results/latest.json] [docs/recall-qps.svg]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One curve of the plot. */
export interface Series {
  name: string;
  points: { recall: number; qps: number; label?: string }[];
}

const COLORS = [
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The SVG text of a recall / QPS plot.
 * @param series - curves, drawn in order
 * @param title - heading
 * @param minRecall - left end of the x axis
 */
export function renderRecallQpsSvg(series: Series[], title: string, minRecall = 0.5): string {
  const width = 920;
  const height = 520;
  const left = 70;
  const right = 360;
  const top = 40;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => s.points).filter((p) => p.recall >= minRecall && p.qps > 0);
  const lowQps = 10 ** Math.floor(Math.log10(Math.min(...all.map((p) => p.qps))));
  const highQps = 10 ** Math.ceil(Math.log10(Math.max(...all.map((p) => p.qps))));
  const x = (recall: number) => left + ((recall - minRecall) / (1 - minRecall)) * plotW;
  const y = (qps: number) =>
    top +
    plotH -
    ((Math.log10(qps) - Math.log10(lowQps)) / (Math.log10(highQps) - Math.log10(lowQps))) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  const step = (1 - minRecall) / 10;
  for (let tick = 0; tick <= 10; tick++) {
    const r = minRecall + tick * step;
    const px = x(r).toFixed(1);
    parts.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${top + plotH}" stroke="#eee"/>`);
    parts.push(
      `<text x="${px}" y="${top + plotH + 16}" text-anchor="middle">${r.toFixed(step < 0.01 ? 3 : 2)}</text>`,
    );
  }
  for (let q = lowQps; q <= highQps * 1.0001; q *= 10) {
    for (const m of [1, 2, 5]) {
      const value = q * m;
      if (value > highQps * 1.0001) continue;
      const py = y(value).toFixed(1);
      parts.push(
        `<line x1="${left}" y1="${py}" x2="${left + plotW}" y2="${py}" stroke="${m === 1 ? '#ddd' : '#f4f4f4'}"/>`,
      );
      parts.push(
        `<text x="${left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${value >= 1000 ? `${value / 1000}k` : value}</text>`,
      );
    }
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 12}" text-anchor="middle">recall@10</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">queries per second (log), one query at a time</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length]!;
    const points = s.points.filter((p) => p.recall >= minRecall && p.qps > 0);
    const dashed = s.name.startsWith('hnswlib') ? ' stroke-dasharray="6 3"' : '';
    if (points.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dashed} points="${points.map((p) => `${x(p.recall).toFixed(1)},${y(p.qps).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const p of points) {
      parts.push(
        `<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.qps).toFixed(1)}" r="3" fill="${color}"><title>${escapeXml(`${s.name} ${p.label ?? ''}: recall ${p.recall.toFixed(3)}, ${Math.round(p.qps)} QPS`)}</title></circle>`,
      );
    }
    const ly = top + 10 + i * 20;
    parts.push(
      `<line x1="${left + plotW + 15}" y1="${ly}" x2="${left + plotW + 40}" y2="${ly}" stroke="${color}" stroke-width="2"${dashed}/>`,
    );
    parts.push(
      `<text x="${left + plotW + 46}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Series from a bench results file (`curves` of every report). */
export function seriesFromResults(results: {
  reports: {
    name: string;
    curve: { recall: number; qps: number; parameter: string; value: number }[];
  }[];
}): Series[] {
  return results.reports
    .filter((r) => r.curve.length > 1)
    .map((r) => ({
      name: r.name,
      points: r.curve.map((p) => ({
        recall: p.recall,
        qps: p.qps,
        label: `${p.parameter} ${p.value}`,
      })),
    }));
}

/**
 * The two plots of the README: every index over recall 0.5..1
 * (`recall-qps.svg`), and our HNSW against hnswlib-node over 0.9..1
 * (`hnsw-vs-hnswlib.svg`).
 */
export function renderPlots(
  results: Parameters<typeof seriesFromResults>[0] & { title?: string },
): [string, string][] {
  const series = seriesFromResults(results);
  const title = results.title ?? 'recall / QPS';
  const hnsw = series.filter((s) => s.name.includes('HNSW') || s.name.startsWith('hnswlib'));
  return [
    ['recall-qps.svg', renderRecallQpsSvg(series, title, 0.5)],
    ['hnsw-vs-hnswlib.svg', renderRecallQpsSvg(hnsw, `${title}: HNSW, ours and hnswlib-node`, 0.9)],
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const input = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
  const output = process.argv[3] ?? new URL('../docs/recall-qps.svg', import.meta.url).pathname;
  const results = JSON.parse(readFileSync(input, 'utf8'));
  for (const [path, svg] of renderPlots(results)) {
    const target =
      path === 'recall-qps.svg' ? output : new URL(`../docs/${path}`, import.meta.url).pathname;
    writeFileSync(target, svg);
    console.log(`wrote ${target}`);
  }
}
