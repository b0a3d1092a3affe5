/**
 * BEIR SciFact for the demo's evaluation: where it is, and its corpus,
 * claims and judgments, read with @x/inverted-index's bench loaders
 * (imported from the repository by relative path: they are bench code, not
 * a package export), so both evaluations read the files the same way.
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type CorpusDoc,
  type EvalQuery,
  loadCorpus,
  loadQrels,
  loadQueries,
} from '../../../../packages/inverted-index/bench/data.js';

export type { CorpusDoc, EvalQuery };

/** Query id -> (doc id -> grade). */
export type Qrels = Map<string, Map<string, number>>;

/** The collection as the demo evaluates it. */
export interface SciFact {
  folder: string;
  corpus: CorpusDoc[];
  /** Every claim (train and test). */
  queries: EvalQuery[];
  qrels: { train: Qrels; test: Qrels };
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

/**
 * The data folder: the given one, else `../shared/data` beside the repository.
 * @param dataDir - a `--data DIR` value, relative to the working directory
 * @returns the absolute folder
 */
export function dataFolder(dataDir?: string): string {
  return resolve(dataDir ?? join(repoRoot, '..', 'shared', 'data'));
}

/**
 * @param dataDir - the data folder (see {@link dataFolder})
 * @returns the SciFact folder, or null when its corpus is absent
 */
export function findSciFact(dataDir?: string): string | null {
  const folder = join(dataFolder(dataDir), 'ir', 'scifact');
  return existsSync(join(folder, 'corpus.jsonl')) && existsSync(join(folder, 'qrels', 'test.tsv'))
    ? folder
    : null;
}

/**
 * @param folder - the SciFact folder (from {@link findSciFact})
 * @returns the 5,183 abstracts, 1,109 claims, train (809) and test (300) judgments
 */
export function loadSciFact(folder: string): SciFact {
  return {
    folder,
    corpus: loadCorpus(folder),
    queries: loadQueries(folder),
    qrels: { train: loadQrels(folder, 'train'), test: loadQrels(folder, 'test') },
  };
}
