/**
 * Ranking ideas beyond plain BM25, measured on SciFact's train and test
 * claims with published default settings (nothing tuned here): term
 * proximity (Metzler and Croft's sequential dependence model scored with
 * BM25, weights 0.85 / 0.1 / 0.05 and window 8; Büttcher, Clarke and
 * Lushman's proximity accumulators), pseudo-relevance feedback (RM3 and
 * Rocchio with Anserini's defaults), BM25 variants (BM25+, BM25L), counting
 * each query term once, and the Porter2 (Snowball) stemmer. A plain float64
 * scorer over the tokens of the 0.0.x default analysis (Lucene's 33
 * stopwords, `preset: 'anserini'`'s analyzer); its BM25 row doubles as a
 * check of the index's scores (it must print the eval's 0.0.x-default row,
 * 0.6777 / 0.6971).
 *
 *   tsx --conditions=@x/source bench/ranking-variants.ts [--data DIR]
 */

import { createRequire } from 'node:module';
import { type Analyzer, createAnalyzer } from '../src/index.js';
import { loadCorpus, loadQrels, loadQueries, scifactFolder } from './data.js';
import { evaluateRun } from './metrics.js';

const K1 = 0.9;
const B = 0.4;
const folder = scifactFolder();
const corpus = loadCorpus(folder);
const test = loadQrels(folder, 'test');
const train = loadQrels(folder, 'train');
const queries = loadQueries(folder).filter((query) => test.has(query.id) || train.has(query.id));

interface Doc {
  id: string;
  length: number;
  tf: Map<string, number>;
  positions: Map<string, number[]>;
}

/** Documents as term statistics and positions, from an analyzer. */
function indexWith(analyze: (text: string) => { terms: string[]; positions: number[] }) {
  const docs: Doc[] = [];
  const postings = new Map<string, number[]>();
  for (const doc of corpus) {
    const { terms, positions } = analyze(`${doc.title} ${doc.text}`);
    const tf = new Map<string, number>();
    const where = new Map<string, number[]>();
    terms.forEach((term, i) => {
      tf.set(term, (tf.get(term) ?? 0) + 1);
      const list = where.get(term) ?? [];
      list.push(positions[i]!);
      where.set(term, list);
    });
    for (const term of tf.keys()) {
      const list = postings.get(term) ?? [];
      list.push(docs.length);
      postings.set(term, list);
    }
    docs.push({ id: doc.id, length: terms.length, tf, positions: where });
  }
  const avgLength = docs.reduce((sum, doc) => sum + doc.length, 0) / docs.length;
  const idfOf = (df: number) => Math.log(1 + (docs.length - df + 0.5) / (df + 0.5));
  const idf = (term: string) => idfOf(postings.get(term)?.length ?? 0);
  const norm = (doc: Doc) => K1 * (1 - B + (B * doc.length) / avgLength);
  return { docs, postings, avgLength, idf, idfOf, norm, analyze };
}
type Index = ReturnType<typeof indexWith>;
type Ranked = [number, number][];

const top = (scores: Map<number, number>, k = 1000): Ranked =>
  [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);

function queryTerms(index: Index, text: string, once = false): Map<string, number> {
  const weights = new Map<string, number>();
  for (const term of index.analyze(text).terms)
    weights.set(term, once ? 1 : (weights.get(term) ?? 0) + 1);
  return weights;
}

/** BM25 with a choice of term-frequency function (plain BM25 by default). */
function bm25(
  index: Index,
  weights: Map<string, number>,
  tfPart = (tf: number, doc: Doc) => (tf * (K1 + 1)) / (tf + index.norm(doc)),
): Map<number, number> {
  const scores = new Map<number, number>();
  for (const [term, weight] of weights) {
    const idf = index.idf(term);
    for (const d of index.postings.get(term) ?? []) {
      const doc = index.docs[d]!;
      scores.set(d, (scores.get(d) ?? 0) + weight * idf * tfPart(doc.tf.get(term)!, doc));
    }
  }
  return scores;
}

/** Sequential dependence: BM25 of terms, ordered bigrams (#1) and unordered windows (#uw8). */
function sdm(index: Index, text: string): Ranked {
  const sequence = index.analyze(text).terms.filter((term) => index.postings.has(term));
  const base = top(bm25(index, queryTerms(index, text)));
  const pairs = sequence.slice(1).map((term, i) => [sequence[i]!, term] as const);
  const features = pairs
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => {
      const ordered = new Map<number, number>();
      const unordered = new Map<number, number>();
      const withA = new Set(index.postings.get(a));
      for (const d of index.postings.get(b)!) {
        if (!withA.has(d)) continue;
        const doc = index.docs[d]!;
        let o = 0;
        let u = 0;
        for (const x of doc.positions.get(a)!) {
          for (const y of doc.positions.get(b)!) {
            if (y - x === 1) o++;
            if (Math.abs(y - x) < 8) u++;
          }
        }
        if (o > 0) ordered.set(d, o);
        if (u > 0) unordered.set(d, u);
      }
      return {
        ordered,
        unordered,
        idfO: index.idfOf(ordered.size),
        idfU: index.idfOf(unordered.size),
      };
    });
  const saturate = (tf: number, doc: Doc) => (tf * (K1 + 1)) / (tf + index.norm(doc));
  return base
    .map(([d, score]): [number, number] => {
      const doc = index.docs[d]!;
      let o = 0;
      let u = 0;
      for (const f of features) {
        o += f.idfO * saturate(f.ordered.get(d) ?? 0, doc);
        u += f.idfU * saturate(f.unordered.get(d) ?? 0, doc);
      }
      return [d, 0.85 * score + 0.1 * o + 0.05 * u];
    })
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** Büttcher et al. (2006): each pair of adjacent occurrences of different query terms adds idf / distance^2. */
function proximityAccumulators(index: Index, text: string): Ranked {
  const weights = queryTerms(index, text);
  const terms = [...weights.keys()].filter((term) => index.postings.has(term));
  return top(bm25(index, weights))
    .map(([d, score]): [number, number] => {
      const doc = index.docs[d]!;
      const hits: [number, string][] = [];
      for (const term of terms) for (const p of doc.positions.get(term) ?? []) hits.push([p, term]);
      hits.sort((a, b) => a[0] - b[0]);
      const acc = new Map<string, number>();
      for (let i = 1; i < hits.length; i++) {
        const [p1, t1] = hits[i - 1]!;
        const [p2, t2] = hits[i]!;
        if (t1 === t2) continue;
        acc.set(t1, (acc.get(t1) ?? 0) + index.idf(t2) / (p2 - p1) ** 2);
        acc.set(t2, (acc.get(t2) ?? 0) + index.idf(t1) / (p2 - p1) ** 2);
      }
      let extra = 0;
      for (const [term, a] of acc) {
        extra += Math.min(1, index.idf(term)) * ((a * (K1 + 1)) / (a + index.norm(doc)));
      }
      return [d, score + extra];
    })
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

/** Pseudo-relevance feedback: expand with the top terms of the top documents, then search again. */
function feedback(index: Index, text: string, kind: 'rm3' | 'rocchio'): Ranked {
  const original = queryTerms(index, text);
  const first = top(bm25(index, original), 10);
  const model = new Map<string, number>();
  for (const [d, score] of first) {
    const doc = index.docs[d]!;
    let size = 0;
    for (const tf of doc.tf.values()) size += kind === 'rm3' ? tf : tf * tf;
    if (kind === 'rocchio') size = Math.sqrt(size);
    for (const [term, tf] of doc.tf) {
      if (kind === 'rm3') {
        // Anserini's RM3 term filter: 2-20 [a-z0-9] characters, in at most 10% of documents
        if (!/^[a-z0-9]{2,20}$/.test(term)) continue;
        if (index.postings.get(term)!.length / index.docs.length > 0.1) continue;
      }
      const add = kind === 'rm3' ? (tf / size) * score : tf / size / first.length;
      model.set(term, (model.get(term) ?? 0) + add);
    }
  }
  const expansion = [...model].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const expanded = new Map<string, number>();
  if (kind === 'rm3') {
    const total = expansion.reduce((sum, [, v]) => sum + v, 0);
    const count = [...original.values()].reduce((sum, v) => sum + v, 0);
    for (const [term, v] of original) expanded.set(term, (0.5 * v) / count);
    for (const [term, v] of expansion)
      expanded.set(term, (expanded.get(term) ?? 0) + (0.5 * v) / total);
  } else {
    const length = Math.sqrt([...original.values()].reduce((sum, v) => sum + v * v, 0));
    for (const [term, v] of original) expanded.set(term, v / length);
    for (const [term, v] of expansion) expanded.set(term, (expanded.get(term) ?? 0) + 0.5 * v);
  }
  return top(bm25(index, expanded));
}

function evaluate(name: string, index: Index, search: (text: string) => Ranked) {
  const run = new Map<string, string[]>();
  for (const query of queries)
    run.set(
      query.id,
      search(query.text)
        .slice(0, 100)
        .map(([d]) => index.docs[d]!.id),
    );
  const onTest = evaluateRun(run, test);
  const onTrain = evaluateRun(run, train);
  console.log(
    `| ${name} | ${onTest.ndcg10.toFixed(4)} | ${onTest.recall100.toFixed(4)} | ${onTrain.ndcg10.toFixed(4)} |`,
  );
  return { name, test: Number(onTest.ndcg10.toFixed(4)), train: Number(onTrain.ndcg10.toFixed(4)) };
}

const analyzer: Analyzer = createAnalyzer({ stopwords: 'lucene', cjk: 'bigram' });
const index = indexWith((text) => analyzer.analyze(text));
const porter2 = createRequire(import.meta.url)('wink-porter2-stemmer') as (word: string) => string;
const unstemmed = createAnalyzer({ stemmer: 'none', stopwords: 'lucene', cjk: 'bigram' });
const indexPorter2 = indexWith((text) => {
  const stream = unstemmed.analyze(text);
  return { terms: stream.terms.map((term) => porter2(term)), positions: stream.positions };
});

console.log(
  '| system (k1 0.9, b 0.4 throughout) | test nDCG@10 | test Recall@100 | train nDCG@10 |',
);
console.log('|---|---:|---:|---:|');
const rows = [
  evaluate('BM25 (the default)', index, (text) => top(bm25(index, queryTerms(index, text)))),
  evaluate('BM25, each query term once', index, (text) =>
    top(bm25(index, queryTerms(index, text, true))),
  ),
  evaluate('BM25+ (delta 1)', index, (text) =>
    top(
      bm25(
        index,
        queryTerms(index, text),
        (tf, doc) => (tf * (K1 + 1)) / (tf + index.norm(doc)) + 1,
      ),
    ),
  ),
  evaluate('BM25L (delta 0.5)', index, (text) =>
    top(
      bm25(index, queryTerms(index, text), (tf, doc) => {
        const c = tf / (1 - B + (B * doc.length) / index.avgLength);
        return ((K1 + 1) * (c + 0.5)) / (K1 + c + 0.5);
      }),
    ),
  ),
  evaluate('sequential dependence (0.85 / 0.1 / 0.05, window 8)', index, (text) =>
    sdm(index, text),
  ),
  evaluate('proximity accumulators (Büttcher et al.)', index, (text) =>
    proximityAccumulators(index, text),
  ),
  evaluate('RM3 (10 docs, 10 terms, weight 0.5)', index, (text) => feedback(index, text, 'rm3')),
  evaluate('Rocchio (10 docs, 10 terms, beta 0.5)', index, (text) =>
    feedback(index, text, 'rocchio'),
  ),
  evaluate('Porter2 (Snowball) stemmer', indexPorter2, (text) =>
    top(bm25(indexPorter2, queryTerms(indexPorter2, text))),
  ),
];
console.log(JSON.stringify({ rows }));
