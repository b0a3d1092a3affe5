/** Terminal rendering of hits and timings. */
import type { SearchHit, SearchMode, StageTimings } from '../pipeline/types.js';

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;

/**
 * A snippet (escaped HTML with `<mark>`) as terminal text: marks in bold, or in
 * `[brackets]` without colour.
 * @param html - the snippet
 * @returns plain text
 */
export function snippetText(html: string): string {
  return html
    .replace(/<mark>/g, color ? '\x1b[1;4m' : '[')
    .replace(/<\/mark>/g, color ? '\x1b[0m' : ']')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ');
}

const LABELS: Record<SearchMode, string> = {
  bm25: 'BM25',
  vector: 'LSA vectors',
  hybrid: 'fused',
  ranked: 'ranked',
};

/**
 * The lists side by side (rank, then each list's id and title), then each list's snippets.
 * @param lists - the lists to show
 * @param snippets - how many snippets per list
 * @returns the lines
 */
export function listsTable(
  lists: Partial<Record<SearchMode, SearchHit[]>>,
  snippets = 3,
): string[] {
  const modes = (Object.keys(lists) as SearchMode[]).filter((m) => lists[m]);
  const width = 28;
  const cell = (hit: SearchHit | undefined) => {
    const text = hit ? `${hit.id} ${hit.title}`.slice(0, width) : '';
    return text.padEnd(width);
  };
  const rows = Math.max(0, ...modes.map((m) => lists[m]!.length));
  const lines = [`  # ${modes.map((m) => LABELS[m].padEnd(width)).join(' ')}`];
  for (let i = 0; i < rows; i++)
    lines.push(`${String(i + 1).padStart(3)} ${modes.map((m) => cell(lists[m]![i])).join(' ')}`);
  for (const mode of modes) {
    lines.push('', `${LABELS[mode]}:`);
    for (const hit of lists[mode]!.slice(0, snippets))
      lines.push(
        `  ${hit.rank}. ${hit.id} ${hit.title} (${hit.score.toFixed(4)})`,
        `     ${snippetText(hit.snippet)}`,
      );
  }
  return lines;
}

/**
 * Stage timings as one line.
 * @param timings - per-stage milliseconds
 * @returns e.g. `analysis 0.1 ms · bm25 2.3 ms · ...`
 */
export function timingsLine(timings: StageTimings): string {
  return Object.entries(timings)
    .filter(([, ms]) => ms !== undefined)
    .map(([stage, ms]) => `${stage} ${(ms as number).toFixed(1)} ms`)
    .join(' · ');
}
