/**
 * Builds the judged collection `test/fixtures/shakespeare-ict` from
 * tinyshakespeare (public-domain text) by the inverse cloze task (K. Lee,
 * M.-W. Chang, K. Toutanova, "Latent Retrieval for Weakly Supervised Open
 * Domain Question Answering", ACL 2019): a passage is a speech; a query is
 * two consecutive lines taken out of a speech of six or more lines, and the
 * one relevant document is that speech without them. The query is natural
 * verbose English that shares only its topic and some vocabulary with the
 * answer, never the answer's text. Seeded, so the files are reproducible;
 * written in BEIR's layout (corpus.jsonl, queries.jsonl, qrels/test.tsv).
 *
 *   tsx --conditions=@x/source bench/build-shakespeare-ict.ts [--data DIR]
 */

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../src/test/index.js';
import { dataFolder } from './data.js';

/** Corpus size: speeches in play order until this many characters. */
const CORPUS_CHARS = 240_000;
const QUERY_COUNT = 250;
const MIN_LINES = 6;
const SEED = 19;

const out = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'shakespeare-ict',
);
const source = join(dataFolder(), 'text', 'tinyshakespeare', 'input.txt');
const speeches = readFileSync(source, 'utf8')
  .split('\n\n')
  .map((block) => block.split('\n').filter((line) => line.length > 0))
  .filter((lines) => lines.length >= 2 && lines[0]!.endsWith(':'))
  .map((lines) => ({ speaker: lines[0]!.slice(0, -1), lines: lines.slice(1) }));

const corpus: { id: string; speaker: string; lines: string[] }[] = [];
let chars = 0;
for (const [i, speech] of speeches.entries()) {
  if (chars >= CORPUS_CHARS) break;
  corpus.push({ id: `s${i}`, ...speech });
  chars += speech.lines.join('\n').length;
}

const random = seededRandom(SEED);
const eligible = corpus.filter((doc) => doc.lines.length >= MIN_LINES);
for (let i = eligible.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
}
const chosen = eligible
  .slice(0, QUERY_COUNT)
  .sort((a, b) => Number(a.id.slice(1)) - Number(b.id.slice(1)));
const queries: { _id: string; text: string }[] = [];
const qrels: string[] = ['query-id\tcorpus-id\tscore'];
for (const doc of chosen) {
  const at = 1 + Math.floor(random() * (doc.lines.length - 2)); // lines at, at + 1; never the first
  const id = `q${queries.length}`;
  queries.push({ _id: id, text: `${doc.lines[at]} ${doc.lines[at + 1]}` });
  doc.lines = [...doc.lines.slice(0, at), ...doc.lines.slice(at + 2)];
  qrels.push(`${id}\t${doc.id}\t1`);
}

mkdirSync(join(out, 'qrels'), { recursive: true });
writeFileSync(
  join(out, 'corpus.jsonl'),
  `${corpus.map((doc) => JSON.stringify({ _id: doc.id, title: doc.speaker, text: doc.lines.join('\n') })).join('\n')}\n`,
);
writeFileSync(
  join(out, 'queries.jsonl'),
  `${queries.map((query) => JSON.stringify(query)).join('\n')}\n`,
);
writeFileSync(join(out, 'qrels', 'test.tsv'), `${qrels.join('\n')}\n`);
console.log(
  JSON.stringify({ documents: corpus.length, characters: chars, queries: queries.length, out }),
);
