/**
 * The bar chart of `bench/decode.ts` as an SVG: one panel per model and
 * context (each with its own tokens/s axis), a group of bars per thread
 * count, one bar per engine.
 */

/** One bar's value. */
export interface ChartRow {
  panel: string;
  threads: number;
  engine: string;
  value: number;
}

const COLORS = ['#1f77b4', '#d62728', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#7f7f7f'];
const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The SVG document. */
export function decodeChartSvg(rows: readonly ChartRow[], title: string): string {
  const panels = [...new Set(rows.map((r) => r.panel))];
  const engines = [...new Set(rows.map((r) => r.engine))];
  const threads = [...new Set(rows.map((r) => r.threads))].sort((a, b) => a - b);
  const bar = 22;
  const groupWidth = engines.length * bar + 16;
  const panelWidth = Math.max(threads.length * groupWidth + 70, 240);
  const height = 274;
  const top = 64;
  const plot = 150;
  const width = Math.max(panels.length * panelWidth + 20, 20 + 4 * 190);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 20 * Math.ceil(engines.length / 4)}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  panels.forEach((panel, p) => {
    const x0 = 10 + p * panelWidth + 40;
    const values = rows.filter((r) => r.panel === panel);
    const max = Math.max(...values.map((r) => r.value), 1e-9);
    out.push(
      ...panel
        .split(', ')
        .map(
          (line, l) =>
            `<text x="${x0}" y="${top - 30 + 13 * l}" font-weight="bold">${escapeXml(line)}</text>`,
        ),
      `<line x1="${x0}" y1="${top}" x2="${x0}" y2="${top + plot}" stroke="#888"/>`,
      `<line x1="${x0}" y1="${top + plot}" x2="${x0 + threads.length * groupWidth}" y2="${top + plot}" stroke="#888"/>`,
      `<text x="${x0 - 4}" y="${top + 4}" text-anchor="end">${max.toPrecision(3)}</text>`,
      `<text x="${x0 - 4}" y="${top + plot}" text-anchor="end">0</text>`,
    );
    threads.forEach((t, g) => {
      const gx = x0 + 8 + g * groupWidth;
      engines.forEach((engine, e) => {
        const row = values.find((r) => r.threads === t && r.engine === engine);
        if (!row) return;
        const h = (row.value / max) * plot;
        const label = row.value >= 100 ? row.value.toFixed(0) : row.value.toPrecision(2);
        out.push(
          `<text x="${gx + e * bar + (bar - 2) / 2}" y="${(top + plot - h - 3).toFixed(1)}" text-anchor="middle" font-size="9">${label}</text>`,
          `<rect x="${gx + e * bar}" y="${(top + plot - h).toFixed(1)}" width="${bar - 2}" height="${h.toFixed(1)}" fill="${COLORS[e % COLORS.length]}"><title>${escapeXml(`${engine}, ${t} thread(s): ${row.value.toPrecision(4)} tokens/s`)}</title></rect>`,
        );
      });
      out.push(
        `<text x="${gx + (engines.length * bar) / 2}" y="${top + plot + 14}" text-anchor="middle">${t} thread${t > 1 ? 's' : ''}</text>`,
      );
    });
  });
  engines.forEach((engine, e) => {
    const x = 10 + (e % 4) * 190;
    const y = height - 10 + 20 * Math.floor(e / 4);
    out.push(
      `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[e % COLORS.length]}"/>`,
      `<text x="${x + 16}" y="${y}">${escapeXml(engine)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
