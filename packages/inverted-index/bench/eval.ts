/**
 * Ranking quality: BEIR SciFact (nDCG@10, Recall@100 and MAP@100 as
 * trec_eval computes them, on the 300 test claims, the published split, and
 * the 809 train claims the default was chosen on, see bench/choose-default.ts),
 * then the Shakespeare inverse-cloze collection built here
 * (test/fixtures/shakespeare-ict: 250 verbose two-line queries, one relevant
 * four-line passage each), to check that the default chosen on SciFact does not hurt
 * elsewhere. Systems: our default, `preset: 'anserini'` (Anserini's settings
 * and Lucene's one-byte norms: SciFact 0.6789, Anserini's figure), the
 * 0.0.x default (Anserini's settings with exact lengths), BM25F multifield,
 * and the JS peers on the same data. For our default against the 0.0.x
 * default and each peer it prints a paired significance test (randomization
 * p-value, bootstrap 95% interval of the nDCG@10 difference). Ends with one
 * JSON line of the headline figures.
 *
 *   npm run eval -w @x/inverted-index -- [--data DIR] [--peers wink,lunr,...|none]
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvertedIndex, type InvertedIndexOptions } from '../src/index.js';
import {
  type CorpusDoc,
  type EvalQuery,
  loadCorpus,
  loadQrels,
  loadQueries,
  option,
  scifactFolder,
} from './data.js';
import { evaluateRun, ndcgPerQuery, type RunMetrics } from './metrics.js';
import { ADAPTERS, type Adapter, ours } from './peers.js';
import { type PairedComparison, pairedComparison } from './significance.js';

// Anserini's BEIR (v1.0.0) SciFact regressions (the issue quotes the flat figure rounded, 0.679)
const ANSERINI = { flat: 0.6789, flatRecall100: 0.9253, multifield: 0.6647, tokens: 838_128 };

type Qrels = Map<string, Map<string, number>>;
interface Collection {
  name: string;
  corpus: CorpusDoc[];
  queries: EvalQuery[];
  splits: Record<string, Qrels>;
}

const scifact = scifactFolder();
const test = loadQrels(scifact, 'test');
const train = loadQrels(scifact, 'train');
const SCIFACT: Collection = {
  name: 'BEIR SciFact',
  corpus: loadCorpus(scifact),
  queries: loadQueries(scifact).filter((query) => test.has(query.id) || train.has(query.id)),
  splits: { test, train, all: new Map([...test, ...train]) },
};
const ictFolder = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'shakespeare-ict',
);
const ICT: Collection = {
  name: 'Shakespeare inverse cloze',
  corpus: loadCorpus(ictFolder),
  queries: loadQueries(ictFolder),
  splits: { test: loadQrels(ictFolder, 'test') },
};

interface Row {
  name: string;
  metrics: Record<string, RunMetrics>;
  run: Map<string, string[]>;
}

async function evaluate(
  collection: Collection,
  name: string,
  search: (text: string) => Promise<string[]>,
): Promise<Row> {
  const run = new Map<string, string[]>();
  for (const query of collection.queries) run.set(query.id, await search(query.text));
  const metrics = Object.fromEntries(
    Object.entries(collection.splits).map(([split, qrels]) => [split, evaluateRun(run, qrels)]),
  );
  return { name, metrics, run };
}

async function evaluateAdapter(collection: Collection, adapter: Adapter, name = adapter.name) {
  await adapter.build(collection.corpus);
  return evaluate(collection, name, (text) => adapter.search(text, 100));
}

const OURS: [string, Partial<InvertedIndexOptions>][] = [
  ['@x/inverted-index flat (default)', {}],
  ["@x/inverted-index flat, preset: 'anserini'", { preset: 'anserini' }],
  [
    '@x/inverted-index flat, 0.0.x default (Anserini settings, exact lengths)',
    { preset: 'anserini', lengthNorm: 'exact' },
  ],
  [
    "@x/inverted-index flat, default with Lucene's 33 stopwords",
    { analyzer: { stopwords: 'lucene' } },
  ],
];

/** Our configurations, lunr's settings in our index, and the peers on one collection. */
async function rowsOf(
  collection: Collection,
  peerNames: string[],
): Promise<{ rows: Row[]; tokens: number }> {
  const rows: Row[] = [];
  let tokens = 0;
  for (const [name, options] of OURS) {
    const adapter = ours({ index: options });
    rows.push(await evaluateAdapter(collection, adapter, name));
    if (rows.length === 2) tokens = adapter.index.tokenCount();
  }
  const multi = new InvertedIndex({ fields: ['title', 'text'] });
  for (const doc of collection.corpus) multi.add({ id: doc.id, title: doc.title, text: doc.text });
  rows.push(
    await evaluate(
      collection,
      '@x/inverted-index multifield (default, BM25F over title and text)',
      async (text) => multi.search(text, { k: 100, syntax: 'plain' }).map((hit) => String(hit.id)),
    ),
  );
  // lunr's ranking settings in this index: Lucene's older BM25 defaults and lunr's
  // stopwords (the corpus words its stopword filter drops)
  const require = createRequire(import.meta.url);
  const lunr = require('lunr') as {
    Token: new (text: string) => unknown;
    stopWordFilter(token: unknown): unknown;
  };
  const words = new Set(
    collection.corpus.flatMap((doc) => `${doc.title} ${doc.text}`.toLowerCase().split(/[^a-z']+/)),
  );
  const lunrStopwords = [...words].filter(
    (word) => word.length > 0 && lunr.stopWordFilter(new lunr.Token(word)) === undefined,
  );
  rows.push(
    await evaluateAdapter(
      collection,
      ours({
        index: {
          preset: 'anserini',
          lengthNorm: 'exact',
          k1: 1.2,
          b: 0.75,
          analyzer: { stopwords: lunrStopwords, cjk: 'bigram' },
        },
      }),
      `@x/inverted-index flat, lunr's settings (k1 1.2, b 0.75, its ${lunrStopwords.length} stopwords)`,
    ),
  );
  for (const name of peerNames) {
    const factory = ADAPTERS[name];
    if (!factory)
      throw new Error(`unknown peer ${name}; known: ${Object.keys(ADAPTERS).join(', ')}`);
    rows.push(await evaluateAdapter(collection, factory()));
  }
  return { rows, tokens };
}

const f = (x: number) => x.toFixed(4);
const cell = (c: PairedComparison) =>
  `${c.meanDiff >= 0 ? '+' : ''}${f(c.meanDiff)} (p ${c.p.toFixed(3)}, ${f(c.ci95[0])}..${f(c.ci95[1])})`;

function printTable(collection: Collection, rows: Row[]): void {
  const splits = Object.keys(collection.splits).filter((split) => split !== 'all');
  const header = splits.flatMap((split) => [
    `${split} nDCG@10`,
    `${split} Recall@100`,
    `${split} MAP@100`,
  ]);
  console.log(`| system | ${header.join(' | ')} |`);
  console.log(`|---|${header.map(() => '---:').join('|')}|`);
  for (const row of rows) {
    const cells = splits.flatMap((split) => {
      const m = row.metrics[split]!;
      return [f(m.ndcg10), f(m.recall100), f(m.map100)];
    });
    console.log(`| ${row.name} | ${cells.join(' | ')} |`);
  }
}

function printComparisons(
  collection: Collection,
  rows: Row[],
): Record<string, Record<string, PairedComparison>> {
  const base = rows[0]!;
  const splits = Object.keys(collection.splits);
  console.log(
    `\nour default minus each system, nDCG@10 per query (randomization test p, bootstrap 95% interval):\n`,
  );
  console.log(`| system | ${splits.join(' | ')} |`);
  console.log(`|---|${splits.map(() => '---:').join('|')}|`);
  const out: Record<string, Record<string, PairedComparison>> = {};
  for (const row of rows.slice(1)) {
    const c = Object.fromEntries(
      splits.map((split) => {
        const qrels = collection.splits[split]!;
        return [
          split,
          pairedComparison(ndcgPerQuery(base.run, qrels), ndcgPerQuery(row.run, qrels)),
        ];
      }),
    );
    out[row.name] = c;
    console.log(`| ${row.name} | ${splits.map((split) => cell(c[split]!)).join(' | ')} |`);
  }
  return out;
}

const peerNames = (
  option('peers') ?? 'wink,wink-utils,lunr,lunr-search,minisearch,flexsearch,orama'
)
  .split(',')
  .filter((name) => name !== 'none' && name.length > 0);

const science = await rowsOf(SCIFACT, peerNames);
console.log(
  `${SCIFACT.name}: ${SCIFACT.corpus.length} documents; test ${test.size} claims, train ${train.size} claims (the default was chosen on train only)\n`,
);
printTable(SCIFACT, science.rows);
console.log(
  `| Anserini BM25 flat (published) | ${ANSERINI.flat} | ${ANSERINI.flatRecall100} | | | | |`,
);
console.log(`| Anserini BM25 multifield (published) | ${ANSERINI.multifield} | | | | | |`);
const drift = ((science.tokens - ANSERINI.tokens) / ANSERINI.tokens) * 100;
console.log(
  `\nanalyzed tokens with preset 'anserini': ${science.tokens} (Anserini ${ANSERINI.tokens}, ${drift.toFixed(4)}%)`,
);
let parsed = 0;
const probe = new InvertedIndex({ fields: ['contents'] });
for (const query of SCIFACT.queries) {
  try {
    probe.search(query.text, { k: 1 });
    parsed++;
  } catch {
    // unbalanced quotes or parentheses: not a valid query-language string
  }
}
console.log(
  `claims that are valid query-language strings: ${parsed} of ${SCIFACT.queries.length} (the eval searches plain text, as Anserini's bag of words)`,
);
const scienceComparisons = printComparisons(SCIFACT, science.rows);

const shakespeare = await rowsOf(ICT, peerNames);
console.log(
  `\n${ICT.name}: ${ICT.corpus.length} four-line passages, ${ICT.queries.length} queries (two lines taken out of a six-line block; the block, without them, is the one relevant document; MAP@100 = MRR; no titles, so multifield equals flat)\n`,
);
printTable(ICT, shakespeare.rows);
const ictComparisons = printComparisons(ICT, shakespeare.rows);

const anserini = science.rows[1]!.metrics.test!.ndcg10;
console.log(
  `\npreset 'anserini' reproduces Anserini's ${ANSERINI.flat}: ${f(anserini) === String(ANSERINI.flat) ? 'yes' : 'NO'} (${f(anserini)})`,
);
const byName = (rows: Row[]) =>
  Object.fromEntries(
    rows.map((row) => [
      row.name,
      Object.fromEntries(
        Object.entries(row.metrics).map(([split, m]) => [split, Number(f(m.ndcg10))]),
      ),
    ]),
  );
console.log(
  JSON.stringify({
    scifact: byName(science.rows),
    shakespeareIct: byName(shakespeare.rows),
    anseriniPreset: Number(f(anserini)),
    tokensAnserini: science.tokens,
    vsOldDefault: {
      scifact: Object.fromEntries(
        Object.entries(scienceComparisons[science.rows[2]!.name]!).map(([split, c]) => [
          split,
          { diff: Number(f(c.meanDiff)), p: Number(c.p.toFixed(3)) },
        ]),
      ),
      shakespeareIct: Object.fromEntries(
        Object.entries(ictComparisons[shakespeare.rows[2]!.name]!).map(([split, c]) => [
          split,
          { diff: Number(f(c.meanDiff)), p: Number(c.p.toFixed(3)) },
        ]),
      ),
    },
  }),
);
