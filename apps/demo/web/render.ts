/**
 * DOM building for the page: result lists, the stage-timing bar chart and the decoding
 * statistics. Everything goes in as text nodes except the snippets' `<mark>` tags,
 * which become real `<mark>` elements; so a passage holding `<b>` shows the characters.
 */
import {
  type DecodingStats,
  SEARCH_MODES,
  type SearchHit,
  type SearchMode,
  type StageTimings,
} from '../src/pipeline/types.js';

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * A snippet as DOM nodes: text between the `<mark>` tags is un-escaped and inserted as
 * text, so only the marks are HTML.
 *
 * @param snippet - HTML-escaped text with `<mark>…</mark>` around the query terms.
 * @returns Text nodes and `<mark>` elements in order.
 */
export function snippetNodes(snippet: string): Node[] {
  const nodes: Node[] = [];
  let inMark = false;
  for (const part of snippet.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true;
    else if (part === '</mark>') inMark = false;
    else if (part !== '') {
      const text = document.createTextNode(
        part.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity),
      );
      if (inMark) {
        const mark = document.createElement('mark');
        mark.append(text);
        nodes.push(mark);
      } else nodes.push(text);
    }
  }
  return nodes;
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One hit as a list item: title, score, snippet. */
function hitItem(hit: SearchHit): HTMLLIElement {
  const item = element('li', 'hit');
  const head = element('div', 'hit-head');
  head.append(
    element('span', 'hit-title', hit.title || hit.id),
    element('span', 'hit-score', hit.score.toFixed(3)),
  );
  const snippet = element('p', 'snippet');
  snippet.append(...snippetNodes(hit.snippet));
  item.append(head, snippet);
  item.title = hit.id;
  return item;
}

/** A heading and an ordered list of hits. */
function hitColumn(heading: string, hits: SearchHit[]): HTMLElement {
  const column = element('section', 'list');
  column.append(element('h2', undefined, `${heading} (${hits.length})`));
  const list = element('ol');
  list.append(...hits.map(hitItem));
  if (hits.length === 0) list.append(element('li', 'muted', 'no hits'));
  column.append(list);
  return column;
}

/**
 * Replaces `container`'s content with one column per list, in the pipeline's mode order.
 *
 * @param container - The results section.
 * @param lists - The lists of a search result.
 */
export function renderLists(
  container: HTMLElement,
  lists: Partial<Record<SearchMode, SearchHit[]>>,
): void {
  const columns = SEARCH_MODES.filter((mode) => lists[mode] !== undefined).map((mode) => {
    const column = hitColumn(mode, lists[mode] ?? []);
    column.dataset.mode = mode;
    return column;
  });
  container.replaceChildren(...columns);
}

/**
 * Replaces `container`'s content with the passages an answer is grounded in.
 *
 * @param container - The answer's passages section.
 * @param hits - The `passages` event's hits.
 */
export function renderPassages(container: HTMLElement, hits: SearchHit[]): void {
  container.replaceChildren(hitColumn('grounded in', hits));
}

/**
 * Replaces `container`'s content with a bar per stage (widths relative to the slowest).
 *
 * @param container - The timings section.
 * @param timings - Milliseconds per stage.
 */
export function renderTimings(container: HTMLElement, timings: StageTimings): void {
  const stages = Object.entries(timings).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number',
  );
  const slowest = Math.max(...stages.map(([, ms]) => ms), 1); // scale at least 1 ms wide
  const total = stages.reduce((sum, [, ms]) => sum + ms, 0);
  const rows = stages.map(([stage, ms]) => {
    const row = element('div', 'timing');
    const bar = element('span', 'bar');
    bar.style.width = `${(100 * ms) / slowest}%`;
    const track = element('span', 'track');
    track.append(bar);
    row.append(
      element('span', 'stage', stage),
      track,
      element('span', 'ms', `${ms.toFixed(1)} ms`),
    );
    return row;
  });
  container.replaceChildren(
    element('h2', undefined, `Stage timings (${total.toFixed(1)} ms)`),
    ...rows,
  );
  container.hidden = false;
}

/**
 * Replaces the decoding statistics.
 *
 * @param list - The `<dl>` under the answer.
 * @param stats - The statistics of `done`, or partial counts measured by the page after Stop.
 */
export function renderDecoding(
  list: HTMLElement,
  stats: Partial<DecodingStats> & { note?: string },
): void {
  const rows: [string, string][] = [
    ['tokens', String(stats.tokens ?? '—')],
    ['steps', String(stats.steps ?? '—')],
    [
      'accepted per step',
      stats.acceptedPerStep === undefined ? '—' : stats.acceptedPerStep.toFixed(2),
    ],
    ['tokens/s', stats.tokensPerSecond === undefined ? '—' : stats.tokensPerSecond.toFixed(1)],
    ['prompt tokens', String(stats.promptTokens ?? '—')],
    ['decoder', stats.decoder ?? '—'],
  ];
  if (stats.note !== undefined) rows.push(['note', stats.note]);
  list.replaceChildren(
    ...rows.flatMap(([term, value]) => [
      element('dt', undefined, term),
      element('dd', undefined, value),
    ]),
  );
}
