/**
 * The pipeline end to end on a slice of the embedded corpus with the bundled model:
 * the four lists (fusion checked against RRF computed here from the two recall lists),
 * escaped snippets, bad input as QueryError, and `ask`: events in order, Medusa's greedy
 * text equal to plain greedy decoding's, a window that slides past the model's context,
 * and a stop signal.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/ingest.js';
import { QueryError } from '../src/errors.js';
import { openPipeline } from '../src/pipeline/open.js';
import type { Pipeline } from '../src/pipeline/pipeline.js';
import type { AskEvent, AskOptions } from '../src/pipeline/types.js';

let pipeline: Pipeline;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'x-demo-pipeline-'));
  const speeches = loadCorpus().passages.slice(0, 1500);
  speeches.push({
    id: 'html-1',
    title: 'TESTER',
    text: 'A <script>alert("x")</script> & a yonder window.',
  });
  writeFileSync(
    join(dir, 'corpus.jsonl'),
    speeches.map((p) => JSON.stringify({ _id: p.id, title: p.title, text: p.text })).join('\n'),
  );
  pipeline = await openPipeline({
    corpus: join(dir, 'corpus.jsonl'),
    dataDir: join(dir, 'data'),
    dims: 64,
  });
});

async function collect(query: string, options: AskOptions = {}): Promise<AskEvent[]> {
  const events: AskEvent[] = [];
  for await (const event of pipeline.ask(query, options)) events.push(event);
  return events;
}

describe('search', () => {
  it('returns the four lists, ranked 1..k, with the fused list equal to RRF over the two recall lists', async () => {
    const query = 'noble lord of war and blood';
    const all = await pipeline.search(query, { k: 100 });
    const { bm25, vector, hybrid, ranked } = all.lists;
    for (const list of [bm25!, vector!, hybrid!, ranked!]) {
      expect(list.length).toBeGreaterThan(0);
      expect(list.map((h) => h.rank)).toEqual(list.map((_, i) => i + 1));
    }
    // reciprocal rank fusion, k = 60, computed here from the lists the pipeline shows
    const fused = new Map<string, number>();
    for (const list of [bm25!, vector!])
      for (const hit of list) fused.set(hit.id, (fused.get(hit.id) ?? 0) + 1 / (60 + hit.rank));
    const expected = [...fused].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 100);
    expect(hybrid!.map((h) => h.id)).toEqual(expected.map(([id]) => id));
    hybrid!.forEach((hit, i) => expect(hit.score).toBeCloseTo(expected[i]![1], 12));
    // the ranker reorders the fused candidates, never adds or drops one
    expect(new Set(ranked!.map((h) => h.id))).toEqual(new Set(hybrid!.map((h) => h.id)));
    const top5 = await pipeline.search(query, { k: 5, mode: 'bm25' });
    expect(Object.keys(top5.lists)).toEqual(['bm25']);
    expect(top5.lists.bm25).toEqual(bm25!.slice(0, 5));
    expect(top5.timings.bm25).toBeGreaterThan(0);
  });

  it('escapes the passage text of snippets and marks only the query terms', async () => {
    const { lists } = await pipeline.search('yonder window script', { k: 3, mode: 'bm25' });
    const hit = lists.bm25!.find((h) => h.id === 'html-1')!;
    expect(hit.snippet).toContain(
      '&#60;<mark>script</mark>&#62;alert(&#34;x&#34;)&#60;/<mark>script</mark>&#62; &#38; a <mark>yonder</mark> <mark>window</mark>',
    );
    expect(hit.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"]/);
  });

  it.each([
    ['an empty query', '', {}, /empty/],
    ['a blank query', '  \n ', {}, /empty/],
    ['a 100 KB query', 'love '.repeat(20_000), {}, /at most 4096/],
    ['a syntax error', 'love AND (war', {}, /query syntax error/],
    ['k = 0', 'love', { k: 0 }, /k must be an integer from 1 to 100, got 0/],
    ['k = -1', 'love', { k: -1 }, /got -1/],
    ['k = 1e9', 'love', { k: 1e9 }, /got 1000000000/],
    ['k = 2.5', 'love', { k: 2.5 }, /got 2.5/],
    ['an unknown mode', 'love', { mode: 'semantic' }, /unknown mode "semantic"/],
    ['an unknown fusion', 'love', { fusion: 'max' }, /unknown fusion "max"/],
    ['replacement characters', 'lo\uFFFDve', {}, /not UTF-8/],
  ])('refuses %s with a QueryError', async (_, query, options, message) => {
    const attempt = pipeline.search(query, options as never);
    await expect(attempt).rejects.toBeInstanceOf(QueryError);
    await expect(pipeline.search(query, options as never)).rejects.toThrow(message);
  });
});

describe('ask', () => {
  it('streams passages, tokens and statistics; Medusa greedy equals plain greedy decoding', async () => {
    const query = 'what light through yonder window breaks';
    const medusa = await collect(query, { maxTokens: 60 });
    const plain = await collect(query, { maxTokens: 60, plain: true });
    for (const events of [medusa, plain]) {
      expect(events[0]!.type).toBe('passages');
      expect(events.at(-1)!.type).toBe('done');
      const done = events.at(-1) as Extract<AskEvent, { type: 'done' }>;
      const streamed = events
        .filter((e) => e.type === 'token')
        .map((e) => (e as { text: string }).text)
        .join('');
      expect(streamed).toBe(done.text);
      expect(done.stats.tokens).toBeGreaterThan(0);
      expect(done.stats.tokens).toBeLessThanOrEqual(60);
      expect(done.timings.prefill).toBeGreaterThan(0);
      expect(done.aborted).toBe(false);
    }
    const [m, p] = [medusa.at(-1), plain.at(-1)] as Extract<AskEvent, { type: 'done' }>[];
    expect(m!.text).toBe(p!.text);
    expect(m!.stats.decoder).toBe('medusa');
    expect(p!.stats.decoder).toBe('plain');
    expect(m!.stats.steps).toBeLessThan(p!.stats.steps);
    const passages = medusa[0] as Extract<AskEvent, { type: 'passages' }>;
    expect(passages.hits.length).toBe(3);
    expect(passages.prompt.length).toBeLessThanOrEqual(128);
  });

  it('slides past the 128-token context and stops on a signal', async () => {
    const long = (await collect('my lord the king', { maxTokens: 300, plain: true })).at(
      -1,
    ) as Extract<AskEvent, { type: 'done' }>;
    expect(long.stats.tokens).toBe(300);
    const controller = new AbortController();
    const events: AskEvent[] = [];
    for await (const event of pipeline.ask('my lord the king', {
      maxTokens: 1000,
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === 'token' && events.length > 5) controller.abort();
    }
    const done = events.at(-1) as Extract<AskEvent, { type: 'done' }>;
    expect(done.aborted).toBe(true);
    expect(done.stats.tokens).toBeLessThan(1000);
  });

  it('refuses bad generation options before any event', () => {
    expect(() => pipeline.ask('love', { maxTokens: 0 })).toThrow(QueryError);
    expect(() => pipeline.ask('love', { maxTokens: 5000 })).toThrow(
      /maxTokens must be an integer from 1 to 1024/,
    );
    expect(() => pipeline.ask('love', { temperature: -1 })).toThrow(/temperature/);
    expect(() => pipeline.ask('', {})).toThrow(/empty/);
  });
});
