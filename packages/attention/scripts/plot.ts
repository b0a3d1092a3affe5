/**
 * `npx tsx scripts/plot.ts`: draws the bench results (docs/bench-results.json,
 * written by `npm run bench`) as two log-log SVG charts for the README:
 * docs/time-vs-n.svg (milliseconds against N) and docs/memory-vs-n.svg
 * (intermediate bytes against N), one panel per head count, one line per
 * implementation. Plain SVG strings, no dependencies.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Row {
  heads: number;
  n: number;
  impl: string;
  ms: number | null;
  bytes: number | null;
}
interface Report {
  rows: Row[];
  backend: string;
  d: number;
  date: string;
}

const docs = new URL('../docs/', import.meta.url);
const report = JSON.parse(readFileSync(new URL('bench-results.json', docs), 'utf8')) as Report;
const impls = [...new Set(report.rows.map((r) => r.impl))];
const headsList = [...new Set(report.rows.map((r) => r.heads))];
const colors = [
  '#888888',
  '#d62728',
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#8c564b',
  '#17becf',
];
const W = 420;
const H = 320;
const margin = { left: 62, right: 14, top: 34, bottom: 44 };

const log10 = Math.log10;
const decades = (lo: number, hi: number) => {
  const out: number[] = [];
  for (let e = Math.floor(log10(lo)); e <= Math.ceil(log10(hi)); e++) out.push(10 ** e);
  return out;
};
const label = (value: number, unit: string) => {
  if (unit === 'bytes') {
    const units = ['B', 'KB', 'MB', 'GB'];
    let u = 0;
    let v = value;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return `${v >= 1 ? v.toFixed(0) : v.toFixed(2)} ${units[u]}`;
  }
  return value >= 1 ? `${value.toFixed(0)}` : `${value}`;
};

function panel(heads: number, metric: 'ms' | 'bytes', x0: number): string {
  const points = report.rows.filter(
    (r) => r.heads === heads && r[metric] !== null && r[metric]! > 0,
  );
  const all = report.rows.filter((r) => r[metric] !== null && r[metric]! > 0);
  const ns = [...new Set(report.rows.map((r) => r.n))].sort((a, b) => a - b);
  const values = all.map((r) => r[metric]!);
  const [ylo, yhi] = [
    10 ** Math.floor(log10(Math.min(...values))),
    10 ** Math.ceil(log10(Math.max(...values))),
  ];
  const [xlo, xhi] = [ns[0]! / 1.3, ns[ns.length - 1]! * 1.3];
  const px = (n: number) =>
    x0 +
    margin.left +
    ((log10(n) - log10(xlo)) / (log10(xhi) - log10(xlo))) * (W - margin.left - margin.right);
  const py = (v: number) =>
    margin.top +
    (1 - (log10(v) - log10(ylo)) / (log10(yhi) - log10(ylo))) * (H - margin.top - margin.bottom);
  const parts: string[] = [];
  parts.push(
    `<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${heads} head${heads > 1 ? 's' : ''}</text>`,
  );
  for (const y of decades(ylo, yhi)) {
    parts.push(
      `<line x1="${x0 + margin.left}" x2="${x0 + W - margin.right}" y1="${py(y)}" y2="${py(y)}" stroke="#e5e5e5"/>`,
    );
    parts.push(
      `<text x="${x0 + margin.left - 6}" y="${py(y) + 4}" text-anchor="end">${label(y, metric)}</text>`,
    );
  }
  for (const n of ns) {
    parts.push(
      `<line x1="${px(n)}" x2="${px(n)}" y1="${margin.top}" y2="${H - margin.bottom}" stroke="#f0f0f0"/>`,
    );
    parts.push(`<text x="${px(n)}" y="${H - margin.bottom + 16}" text-anchor="middle">${n}</text>`);
  }
  parts.push(
    `<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle">N (sequence length)</text>`,
  );
  impls.forEach((impl, i) => {
    const series = points.filter((r) => r.impl === impl).sort((a, b) => a.n - b.n);
    if (series.length === 0) return;
    const color = colors[i % colors.length];
    const path = series
      .map((r, j) => `${j === 0 ? 'M' : 'L'}${px(r.n).toFixed(1)},${py(r[metric]!).toFixed(1)}`)
      .join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const r of series)
      parts.push(
        `<circle cx="${px(r.n).toFixed(1)}" cy="${py(r[metric]!).toFixed(1)}" r="3" fill="${color}"/>`,
      );
  });
  return parts.join('\n');
}

function chart(metric: 'ms' | 'bytes', title: string): string {
  const width = W * headsList.length;
  const legend = impls
    .map(
      (impl, i) =>
        `<g transform="translate(${6 + i * Math.floor((width - 24) / impls.length)}, ${H + 14})"><rect width="12" height="12" fill="${colors[i % colors.length]}"/><text x="16" y="10">${impl}</text></g>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 52}" font-family="sans-serif" font-size="11">
<title>${title} against N, @x/attention bench</title>
<rect width="100%" height="100%" fill="white"/>
<text x="8" y="${H + 46}" fill="#555">${title}; causal, d = ${report.d}, backend ${report.backend}, ${report.date.slice(0, 10)}; log-log; gaps were skipped (README)</text>
${headsList.map((heads, i) => panel(heads, metric, i * W)).join('\n')}
${legend}
</svg>
`;
}

writeFileSync(new URL('time-vs-n.svg', docs), chart('ms', 'forward CPU time per call (ms)'));
writeFileSync(
  new URL('memory-vs-n.svg', docs),
  chart('bytes', 'intermediate bytes beyond inputs and output (flash simd = sparse)'),
);
console.log('wrote docs/time-vs-n.svg and docs/memory-vs-n.svg');
