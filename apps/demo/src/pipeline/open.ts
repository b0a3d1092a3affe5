/**
 * Opens the pipeline: reads the corpus (the embedded default or a folder), reuses or
 * builds its indexes in the data directory, loads the ranker and the model (the
 * bundled @x/lm model and its @x/medusa heads by default, or a checkpoint folder).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBundledModel, loadModel, loadTokenizer } from '@x/lm/node';
import { loadBundledHeads, loadHeads } from '@x/medusa/node';
import { loadCorpus } from '../corpus/ingest.js';
import { Ranker } from '../ranker/model.js';
import { type IndexStage, openIndexes } from '../store/index-store.js';
import { Generator } from './generator.js';
import { Pipeline } from './pipeline.js';

/** The ranker trained on SciFact's train queries, shipped with the app. */
export const BUNDLED_RANKER_FILE = fileURLToPath(
  new URL('../../data/ranker.json', import.meta.url),
);

/** Options of `openPipeline`. */
export interface OpenPipelineOptions {
  /** A folder (or file) of .txt / .md / .jsonl; omitted: the embedded tinyshakespeare speeches. */
  corpus?: string;
  /** Where the indexes persist. @default `.x-demo` in the working directory */
  dataDir?: string;
  /** Index again even when the data directory holds this corpus's indexes. */
  rebuild?: boolean;
  /** LSA dimensions. @default 192 */
  dims?: number;
  /** A checkpoint folder for @x/lm's `loadModel`; omitted: the bundled model. `false`: no model (search only). */
  model?: string | false;
  /** A Medusa heads folder for that model; omitted: the bundled heads with the bundled model, none otherwise. */
  heads?: string;
  /** A ranker JSON (from `scripts/train-ranker.ts`). @default the bundled one */
  ranker?: string;
  /** Choose the Medusa tree at open (measures this machine's pass cost) instead of in the first ask. @default true */
  prepare?: boolean;
  /** Indexing progress. */
  onProgress?: (stage: IndexStage, done: number, total: number) => void;
  /** Why the indexes are rebuilt. */
  onRebuild?: (reason: string) => void;
  /** Corpus files skipped, and why. */
  onSkip?: (path: string, reason: string) => void;
}

/**
 * Opens the pipeline.
 * @param options - corpus, data directory, rebuild, model, heads, ranker, callbacks
 * @returns the pipeline
 * @throws CorpusError, IndexSnapshotError (a damaged snapshot: pass `rebuild`), @x/lm's and @x/medusa's load errors
 * @example
 * const pipeline = await openPipeline();
 * const { lists } = await pipeline.search('a plague on both your houses');
 */
export async function openPipeline(options: OpenPipelineOptions = {}): Promise<Pipeline> {
  const corpus = loadCorpus(options.corpus, { onSkip: options.onSkip });
  const indexes = openIndexes(corpus, {
    dataDir: resolve(options.dataDir ?? '.x-demo'),
    rebuild: options.rebuild,
    dims: options.dims,
    onProgress: options.onProgress,
    onRebuild: options.onRebuild,
  });
  const ranker = Ranker.fromJSON(
    JSON.parse(readFileSync(options.ranker ?? BUNDLED_RANKER_FILE, 'utf8')),
  );
  const generator = await openGenerator(options);
  if (generator && options.prepare !== false) generator.prepare();
  return new Pipeline(corpus, indexes, ranker, generator);
}

async function openGenerator(options: OpenPipelineOptions): Promise<Generator | null> {
  if (options.model === false) return null;
  if (options.model === undefined) {
    const { model, tokenizer } = await loadBundledModel();
    const heads = options.heads
      ? await loadHeads(options.heads, model)
      : await loadBundledHeads(model);
    return new Generator(
      model,
      tokenizer,
      heads,
      '@x/lm char-shakespeare (bundled) + Medusa heads',
    );
  }
  const model = await loadModel(options.model);
  const tokenizer = await loadTokenizer(options.model);
  const heads = options.heads ? await loadHeads(options.heads, model) : null;
  return new Generator(
    model,
    tokenizer,
    heads,
    `${options.model}${heads ? ' + Medusa heads' : ''}`,
  );
}
