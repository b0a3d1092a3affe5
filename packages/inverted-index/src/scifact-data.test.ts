import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCIFACT_DOCS, SCIFACT_QRELS, SCIFACT_QUERIES } from './__fixtures__/scifact-sample.js';
import { InvertedIndex } from './inverted-index.js';

const dataFolder = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/data/ir/scifact',
);
const hasData = existsSync(join(dataFolder, 'corpus.jsonl'));

describe('SciFact slice (always on)', () => {
  it('ranks a relevant abstract first for most sample claims', () => {
    const index = new InvertedIndex({ fields: ['contents'] });
    for (const doc of SCIFACT_DOCS) index.add({ id: doc.id, contents: `${doc.title} ${doc.text}` });
    let first = 0;
    let found = 0;
    for (const query of SCIFACT_QUERIES) {
      const relevant = SCIFACT_QRELS.filter(([q]) => q === query.id).map(([, d]) => d);
      const top = index
        .search(query.text, { k: 10, syntax: 'plain' })
        .map((hit) => hit.id as string);
      if (top.some((id) => relevant.includes(id))) found++;
      if (relevant.includes(top[0]!)) first++;
    }
    // claim 1 ("0-dimensional biomaterials...") shares no word with its abstract: BM25 misses it
    expect(found).toBe(7);
    expect(first).toBe(6);
  });
});

describe.skipIf(!hasData)('BEIR SciFact (needs ../shared/data; skipped when absent)', () => {
  if (!hasData) console.warn(`skipping SciFact tests: no data at ${dataFolder}`);

  it("preset 'anserini' matches Anserini's token count and nDCG@10 (0.6789); the default beats it; pruned equals exhaustive", () => {
    const lines = readFileSync(join(dataFolder, 'corpus.jsonl'), 'utf8').trim().split('\n');
    const anserini = new InvertedIndex({ fields: ['contents'], preset: 'anserini' });
    const index = new InvertedIndex({ fields: ['contents'] });
    for (const line of lines) {
      const doc = JSON.parse(line) as { _id: string; title: string; text: string };
      anserini.add({ id: doc._id, contents: `${doc.title} ${doc.text}` });
      index.add({ id: doc._id, contents: `${doc.title} ${doc.text}` });
    }
    expect(index.size).toBe(5183);
    expect(Math.abs(anserini.tokenCount() - 838_128) / 838_128).toBeLessThan(0.001);
    const qrels = new Map<string, Set<string>>();
    for (const line of readFileSync(join(dataFolder, 'qrels/test.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)) {
      const [q, d] = line.split('\t');
      if (!qrels.has(q!)) qrels.set(q!, new Set());
      qrels.get(q!)!.add(d!);
    }
    const queries = readFileSync(join(dataFolder, 'queries.jsonl'), 'utf8').trim().split('\n');
    const ndcgOf = (target: InvertedIndex): number => {
      let ndcg = 0;
      for (const line of queries) {
        const query = JSON.parse(line) as { _id: string; text: string };
        const relevant = qrels.get(query._id);
        if (!relevant) continue;
        const hits = target.search(query.text, { k: 10, syntax: 'plain' });
        expect(hits).toEqual(target.search(query.text, { k: 10, syntax: 'plain', pruning: false }));
        let dcg = 0;
        hits.forEach((hit, rank) => {
          if (relevant.has(hit.id as string)) dcg += 1 / Math.log2(rank + 2);
        });
        let ideal = 0;
        for (let rank = 0; rank < Math.min(10, relevant.size); rank++)
          ideal += 1 / Math.log2(rank + 2);
        ndcg += dcg / ideal;
      }
      return ndcg / qrels.size;
    };
    const anseriniNdcg = ndcgOf(anserini);
    expect(anseriniNdcg.toFixed(4)).toBe('0.6789');
    expect(ndcgOf(index)).toBeGreaterThan(anseriniNdcg);
  });
});
