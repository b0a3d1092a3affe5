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
import { type IndexStage, openIndexes, type VectorSource } from '../store/index-store.js';
import { ModelEmbedder } from '../vectors/model-embedder.js';
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
  /**
   * The vector branch: `lsa` (fitted on the corpus), `model` (mean-pooled hidden states
   * of the loaded model), or a .jsonl / .fvecs file of document vectors (queries then
   * pass `vector`). @default 'lsa'
   */
  vectors?: string;
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
  const vectors = options.vectors ?? 'lsa';
  const generator = await openGenerator(
    vectors === 'model' && options.model === false ? { ...options, model: undefined } : options,
  );
  let source: VectorSource = { kind: 'lsa' };
  if (vectors === 'model') {
    const embedder = new ModelEmbedder(
      generator!.model,
      generator!.tokenizer,
      `hidden states of ${generator!.name}`,
    );
    source = {
      kind: 'embedder',
      embedder,
      key: `${generator!.name}:${generator!.model.config.hiddenSize}`,
    };
  } else if (vectors !== 'lsa') source = { kind: 'file', path: resolve(vectors) };
  const indexes = openIndexes(corpus, {
    dataDir: resolve(options.dataDir ?? '.x-demo'),
    rebuild: options.rebuild,
    dims: options.dims,
    vectors: source,
    onProgress: options.onProgress,
    onRebuild: options.onRebuild,
  });
  const ranker = Ranker.fromJSON(
    JSON.parse(readFileSync(options.ranker ?? BUNDLED_RANKER_FILE, 'utf8')),
  );
  const asks = options.model === false ? null : generator;
  if (asks && options.prepare !== false) asks.prepare();
  return new Pipeline(corpus, indexes, ranker, asks);
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
