/**
 * Builds the judged collection `test/fixtures/shakespeare-ict` from
 * tinyshakespeare (public-domain text) by the inverse cloze task (K. Lee,
 * M.-W. Chang, K. Toutanova, "Latent Retrieval for Weakly Supervised Open
 * Domain Question Answering", ACL 2019). The play text (speaker names
 * dropped) is cut into blocks of six consecutive lines; from every block two
 * consecutive lines (seeded position) are taken out, so every document has
 * four lines and no document's length says whether it is an answer. For 250
 * seeded blocks the two lines taken out are a query, and the block (without
 * them) is its one relevant document. The query is natural verbose English
 * that shares only its context and some vocabulary with the answer, never
 * the answer's text. Written in BEIR's layout (corpus.jsonl, queries.jsonl,
 * qrels/test.tsv).
 *
 * A first version used whole speeches as documents and queried only
 * speeches of six or more lines: its answers were systematically long (a
 * length prior that rewarded weak length normalization), so it was replaced
 * by the equal-length blocks.
 *
 *   tsx --conditions=@x/source bench/build-shakespeare-ict.ts [--data DIR]
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/test/index.js';
import { dataFolder } from './data.js';

/** Corpus size: blocks in play order until this many characters of source text. */
const CORPUS_CHARS = 360_000;
const BLOCK_LINES = 6;
const QUERY_COUNT = 250;
const SEED = 19;

const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'shakespeare-ict',
);
const source = join(dataFolder(), 'text', 'tinyshakespeare', 'input.txt');
const lines = readFileSync(source, 'utf8')
  .split('\n\n')
  .flatMap((block) =>
    block
      .split('\n')
      .filter((line) => line.length > 0)
      .slice(1),
  ); // drop "Speaker:"

const random = seededRandom(SEED);
const corpus: { id: string; lines: string[]; removed: string[] }[] = [];
let chars = 0;
for (let at = 0; at + BLOCK_LINES <= lines.length && chars < CORPUS_CHARS; at += BLOCK_LINES) {
  const block = lines.slice(at, at + BLOCK_LINES);
  chars += block.join('\n').length;
  const cut = Math.floor(random() * (BLOCK_LINES - 1)); // lines cut, cut + 1
  corpus.push({
    id: `b${corpus.length}`,
    lines: [...block.slice(0, cut), ...block.slice(cut + 2)],
    removed: block.slice(cut, cut + 2),
  });
}
const order = corpus.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const chosen = order.slice(0, QUERY_COUNT).sort((a, b) => a - b);
const queries: { _id: string; text: string }[] = [];
const qrels: string[] = ['query-id\tcorpus-id\tscore'];
for (const i of chosen) {
  const id = `q${queries.length}`;
  queries.push({ _id: id, text: corpus[i]!.removed.join(' ') });
  qrels.push(`${id}\t${corpus[i]!.id}\t1`);
}

mkdirSync(join(out, 'qrels'), { recursive: true });
writeFileSync(
  join(out, 'corpus.jsonl'),
  `${corpus.map((doc) => JSON.stringify({ _id: doc.id, title: '', text: doc.lines.join('\n') })).join('\n')}\n`,
);
writeFileSync(
  join(out, 'queries.jsonl'),
  `${queries.map((query) => JSON.stringify(query)).join('\n')}\n`,
);
writeFileSync(join(out, 'qrels', 'test.tsv'), `${qrels.join('\n')}\n`);
console.log(
  JSON.stringify({
    documents: corpus.length,
    sourceCharacters: chars,
    queries: queries.length,
    out,
  }),
);
