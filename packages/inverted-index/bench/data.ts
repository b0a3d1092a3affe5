/**
 * Loads BEIR SciFact (corpus, queries, test qrels) from the shared data
 * folder, and parses the command-line options every script shares
 * (`--data DIR`, default `../shared/data` from the repository root).
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A SciFact abstract. */
export interface CorpusDoc {
  id: string;
  title: string;
  text: string;
}

/** A SciFact claim. */
export interface EvalQuery {
  id: string;
  text: string;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Reads `--name value` from argv.
 * @param name - the option name without dashes
 * @returns the value, or undefined
 */
export function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * @param name - the flag name without dashes
 * @returns whether `--name` is on the command line
 */
export function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}

/** @returns the data folder: `--data DIR` or ../shared/data beside the repository */
export function dataFolder(): string {
  return resolve(option('data') ?? join(repoRoot, '..', 'shared', 'data'));
}

/** @returns the SciFact folder, or exits with a clear message when absent */
export function scifactFolder(): string {
  const folder = join(dataFolder(), 'ir', 'scifact');
  if (!existsSync(join(folder, 'corpus.jsonl'))) {
    console.error(
      `SciFact not found at ${folder}: pass --data DIR (the folder holding ir/scifact)`,
    );
    process.exit(2);
  }
  return folder;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

/**
 * @param folder - the SciFact folder
 * @returns the 5,183 abstracts
 */
export function loadCorpus(folder: string): CorpusDoc[] {
  return readJsonl<{ _id: string; title: string; text: string }>(join(folder, 'corpus.jsonl')).map(
    (doc) => ({ id: doc._id, title: doc.title, text: doc.text }),
  );
}

/**
 * @param folder - the SciFact folder
 * @returns all 1,109 claims
 */
export function loadQueries(folder: string): EvalQuery[] {
  return readJsonl<{ _id: string; text: string }>(join(folder, 'queries.jsonl')).map((query) => ({
    id: query._id,
    text: query.text,
  }));
}

/**
 * @param folder - the SciFact folder
 * @param split - `test` (300 queries) or `train`
 * @returns query id -> (doc id -> grade)
 */
export function loadQrels(folder: string, split = 'test'): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  const lines = readFileSync(join(folder, 'qrels', `${split}.tsv`), 'utf8')
    .trim()
    .split('\n');
  for (const line of lines.slice(1)) {
    const [queryId, docId, grade] = line.split('\t');
    if (!queryId || !docId) continue;
    let judged = qrels.get(queryId);
    if (!judged) {
      judged = new Map();
      qrels.set(queryId, judged);
    }
    judged.set(docId, Number(grade));
  }
  return qrels;
}

/**
 * The corpus and claims the speed benchmark runs on: SciFact from the data
 * folder; for a `--quick` smoke run on a machine without it (CI), the
 * 48-abstract slice committed for the tests, with a note on stderr.
 * @param quick - whether this is a smoke run
 * @returns the documents and the claims
 */
export async function benchCorpus(
  quick: boolean,
): Promise<{ corpus: CorpusDoc[]; queries: EvalQuery[] }> {
  const folder = join(dataFolder(), 'ir', 'scifact');
  if (quick && !existsSync(join(folder, 'corpus.jsonl'))) {
    console.error(
      `SciFact not found at ${folder}: smoke run on the 48-abstract slice in src/__fixtures__`,
    );
    const { SCIFACT_DOCS, SCIFACT_QUERIES } = await import('../src/__fixtures__/scifact-sample.js');
    return { corpus: [...SCIFACT_DOCS], queries: [...SCIFACT_QUERIES] };
  }
  const scifact = scifactFolder();
  return { corpus: loadCorpus(scifact), queries: loadQueries(scifact) };
}
