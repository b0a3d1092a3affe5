/**
 * The vector branch's other sources: the user's document vectors (.jsonl in any order,
 * .fvecs in corpus order) searched with the query's own vector, checked against a
 * brute-force cosine ranking; their errors; and an @x/lm model's mean-pooled hidden
 * states, checked against the pooling done here from `forward`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundledModel } from '@x/lm/node';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/ingest.js';
import { EmbeddingsError, QueryError } from '../src/errors.js';
import { openPipeline } from '../src/pipeline/open.js';
import { ModelEmbedder } from '../src/vectors/model-embedder.js';
import { readEmbeddings } from '../src/vectors/precomputed.js';

const dir = mkdtempSync(join(tmpdir(), 'x-demo-embeddings-'));
const passages = loadCorpus().passages.slice(0, 200);
const corpusFile = join(dir, 'corpus.jsonl');
writeFileSync(
  corpusFile,
  passages.map((p) => JSON.stringify({ _id: p.id, title: p.title, text: p.text })).join('\n'),
);

// deterministic vectors of dimension 8
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return (seed / 2 ** 31) * 2 - 1;
};
const vectors = passages.map(() => Array.from({ length: 8 }, random));
const unit = (v: number[]) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

function fvecs(rows: number[][]): Buffer {
  const out = Buffer.alloc(rows.length * (4 + 4 * rows[0]!.length));
  let o = 0;
  for (const row of rows) {
    out.writeInt32LE(row.length, o);
    row.forEach((x, i) => out.writeFloatLE(x, o + 4 + 4 * i));
    o += 4 + 4 * row.length;
  }
  return out;
}

describe('precomputed document vectors', () => {
  it('rank by cosine with the query vector as brute force does (.jsonl shuffled, .fvecs in order)', async () => {
    const jsonl = join(dir, 'vectors.jsonl');
    const order = passages.map((_, i) => i).reverse();
    writeFileSync(
      jsonl,
      order.map((i) => JSON.stringify({ id: passages[i]!.id, vector: vectors[i] })).join('\n'),
    );
    const fv = join(dir, 'vectors.fvecs');
    writeFileSync(fv, fvecs(vectors));
    const query = Array.from({ length: 8 }, random);
    const q = unit(query);
    const brute = passages
      .map((p, i) => ({ id: p.id, score: unit(vectors[i]!).reduce((s, x, j) => s + x * q[j]!, 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    for (const file of [jsonl, fv]) {
      const pipeline = await openPipeline({
        corpus: corpusFile,
        dataDir: join(dir, `data-${file.slice(-5)}`),
        vectors: file,
        model: false,
      });
      expect(pipeline.stats().vectors).toBe('precomputed document vectors');
      const { lists } = await pipeline.search('the citizens', {
        k: 10,
        mode: 'vector',
        vector: query,
      });
      expect(lists.vector!.map((h) => h.id)).toEqual(brute.map((h) => h.id));
      lists.vector!.forEach((h, i) => expect(h.score).toBeCloseTo(brute[i]!.score, 5));
      await expect(pipeline.search('the citizens', { mode: 'vector' })).rejects.toThrow(
        /pass the query's own vector/,
      );
      await expect(
        pipeline.search('the citizens', { mode: 'ranked', vector: [1, 2] }),
      ).rejects.toBeInstanceOf(QueryError);
      expect(
        (await pipeline.search('the citizens', { mode: 'bm25' })).lists.bm25!.length,
      ).toBeGreaterThan(0);
    }
  });

  it('are refused with EmbeddingsError when they do not fit the corpus', () => {
    const ids = passages.slice(0, 2).map((p) => p.id);
    const write = (name: string, content: string | Buffer) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };
    const cases: [string, RegExp][] = [
      [
        write('missing.jsonl', JSON.stringify({ id: ids[0], vector: [1, 2] })),
        /no vector for the passage "speech-00002"/,
      ],
      [
        write(
          'dims.jsonl',
          `${JSON.stringify({ id: ids[0], vector: [1, 2] })}\n${JSON.stringify({ id: ids[1], vector: [1] })}`,
        ),
        /:2 has dimension 1, the first line has 2/,
      ],
      [
        write('nan.jsonl', `${JSON.stringify({ id: ids[0], vector: [1, null] })}`),
        /not a finite number/,
      ],
      [write('bad.jsonl', '{"id": 1,'), /:1 is not JSON/],
      [write('count.fvecs', fvecs([[1, 2]])), /holds 1 vectors, the corpus has 2/],
      [
        write(
          'cut.fvecs',
          fvecs([
            [1, 2],
            [3, 4],
          ]).subarray(0, 17),
        ),
        /truncated/,
      ],
      [join(dir, 'absent.jsonl'), /cannot read the embeddings .*ENOENT/],
    ];
    for (const [file, message] of cases) {
      expect(() => readEmbeddings(file, ids)).toThrow(EmbeddingsError);
      expect(() => readEmbeddings(file, ids)).toThrow(message);
    }
  });
});

describe('ModelEmbedder', () => {
  it('is the unit mean of the last hidden states, window by window past the context', async () => {
    const { model, tokenizer } = await loadBundledModel();
    const embedder = new ModelEmbedder(model, tokenizer, 'bundled');
    const text = passages.find((p) => p.text.length > 300)!.text;
    const ids = tokenizer.encode(text);
    const H = model.config.hiddenSize;
    const sum = new Float64Array(H);
    for (let start = 0; start < ids.length; start += 128) {
      const hidden = model
        .forward([ids.slice(start, start + 128)])
        .hidden.toArray() as number[][][];
      for (const row of hidden[0]!) row.forEach((x, i) => (sum[i]! += x));
    }
    const norm = Math.hypot(...sum);
    const v = embedder.embed(text);
    expect(v.length).toBe(H);
    v.forEach((x, i) => expect(x).toBeCloseTo(sum[i]! / norm, 4));
    expect(Array.from(embedder.embed(''))).toEqual(new Array(H).fill(0));
  });
});
