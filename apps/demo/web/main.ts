/**
 * The demo page: a query box that searches on submit (all four lists side by side, or
 * one mode), and an Ask button that streams the grounded answer over SSE with a Stop
 * button. Talks only to its own server (`/api/*`), so it works offline.
 */
import type { AskEvent, PipelineStats, SearchResult } from '../src/pipeline/types.js';
import { renderDecoding, renderLists, renderPassages, renderTimings } from './render.js';
import { readServerSentEvents } from './sse.js';

const byId = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`page: #${id} is missing`);
  return node as T;
};

const form = byId<HTMLFormElement>('query-form');
const queryInput = byId<HTMLInputElement>('query');
const modeSelect = byId<HTMLSelectElement>('mode');
const fusionSelect = byId<HTMLSelectElement>('fusion');
const kInput = byId<HTMLInputElement>('k');
const askButton = byId<HTMLButtonElement>('ask');
const stopButton = byId<HTMLButtonElement>('stop');
const errorLine = byId<HTMLParagraphElement>('error');
const listsSection = byId<HTMLElement>('lists');
const timingsSection = byId<HTMLElement>('timings');
const answerPanel = byId<HTMLElement>('answer-panel');
const answer = byId<HTMLParagraphElement>('answer');
const decoding = byId<HTMLElement>('decoding');
const passages = byId<HTMLElement>('passages');

let asking: AbortController | undefined;

function showError(message: string | undefined): void {
  errorLine.textContent = message ?? '';
  errorLine.hidden = message === undefined;
}

/** The `{ error: { message } }` of a failed response, or its status line. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message !== undefined) return `${response.status}: ${body.error.message}`;
  } catch {
    // not JSON: fall through
  }
  return `${response.status} ${response.statusText}`;
}

async function search(): Promise<void> {
  const params = new URLSearchParams({
    q: queryInput.value,
    k: kInput.value,
    fusion: fusionSelect.value,
  });
  if (modeSelect.value !== '') params.set('mode', modeSelect.value);
  showError(undefined);
  const response = await fetch(`/api/search?${params}`);
  if (!response.ok) return showError(await errorMessage(response));
  const result = (await response.json()) as SearchResult;
  renderLists(listsSection, result.lists);
  renderTimings(timingsSection, result.timings);
}

function setAsking(on: boolean): void {
  askButton.disabled = on;
  stopButton.disabled = !on;
  answer.setAttribute('aria-busy', String(on));
}

async function ask(): Promise<void> {
  asking?.abort();
  const controller = new AbortController();
  asking = controller;
  showError(undefined);
  answerPanel.hidden = false;
  answer.replaceChildren();
  decoding.replaceChildren();
  passages.replaceChildren();
  setAsking(true);
  let tokens = 0;
  let firstTokenAt = 0;
  try {
    const body: Record<string, unknown> = { q: queryInput.value, fusion: fusionSelect.value };
    if (modeSelect.value !== '') body.mode = modeSelect.value;
    const response = await fetch('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok || response.body === null) return showError(await errorMessage(response));
    for await (const message of readServerSentEvents(response.body)) {
      if (message.event === 'error') {
        const parsed = JSON.parse(message.data) as { error: { message: string } };
        showError(parsed.error.message);
        continue;
      }
      const event = JSON.parse(message.data) as AskEvent;
      if (event.type === 'passages') {
        renderPassages(passages, event.hits);
        renderTimings(timingsSection, event.timings);
      } else if (event.type === 'token') {
        if (tokens++ === 0) firstTokenAt = performance.now();
        answer.append(event.text);
      } else {
        renderTimings(timingsSection, event.timings);
        renderDecoding(decoding, { ...event.stats, ...(event.aborted ? { note: 'stopped' } : {}) });
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    // Stopped here: the server saw the disconnect and stopped; report what arrived.
    const seconds = (performance.now() - firstTokenAt) / 1000;
    renderDecoding(decoding, {
      tokens,
      ...(tokens > 1 && seconds > 0 ? { tokensPerSecond: tokens / seconds } : {}),
      note: 'stopped by you (counted by the page)',
    });
  } finally {
    if (asking === controller) {
      asking = undefined;
      setAsking(false);
    }
  }
}

const reportFailure = (error: unknown) =>
  showError(error instanceof Error ? error.message : String(error));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  search().catch(reportFailure);
});
askButton.addEventListener('click', () => {
  if (!form.reportValidity()) return;
  ask().catch(reportFailure);
});
stopButton.addEventListener('click', () => asking?.abort());

fetch('/api/stats')
  .then(async (response) => {
    if (!response.ok) throw new Error(await errorMessage(response));
    const stats = (await response.json()) as PipelineStats;
    byId('corpus').textContent =
      `${stats.documents} passages from ${stats.corpus} · model ${stats.model}`;
  })
  .catch(reportFailure);
