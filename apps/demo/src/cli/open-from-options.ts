/**
 * The options every command shares (corpus, data directory, model) and how they
 * open the pipeline, with the indexing progress and warnings on stderr.
 */
import type { Command } from 'commander';
import { type OpenPipelineOptions, openPipeline } from '../pipeline/open.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { indexingProgress } from './progress.js';

/** What the shared options parse to. */
export interface CommonOptions {
  corpus?: string;
  dataDir: string;
  rebuild?: boolean;
  model?: string;
  heads?: string;
  dims?: number;
  vectors?: string;
}

/**
 * Adds the shared options to a command.
 * @param command - a commander command
 * @returns the command
 */
export function withCommonOptions(command: Command): Command {
  return command
    .option(
      '--corpus <dir>',
      'a folder of .txt / .md / .jsonl (default: the embedded tinyshakespeare speeches)',
    )
    .option('--data-dir <dir>', 'where the indexes persist', '.x-demo')
    .option('--rebuild', 'index again even when the data directory holds this corpus')
    .option('--model <dir>', 'a checkpoint folder for @x/lm (default: the bundled model)')
    .option('--heads <dir>', 'Medusa heads for that model (default: the bundled heads)')
    .option('--dims <n>', 'LSA dimensions', (v) => Number.parseInt(v, 10))
    .option(
      '--vectors <source>',
      'lsa (fitted here), model (mean-pooled hidden states of the model), or a .jsonl / .fvecs of document vectors',
      'lsa',
    );
}

/**
 * Opens the pipeline from parsed options.
 * @param options - the shared options
 * @param extra - more `openPipeline` options (e.g. `model: false`)
 * @returns the pipeline
 */
export async function openFromOptions(
  options: CommonOptions,
  extra: Partial<OpenPipelineOptions> = {},
): Promise<Pipeline> {
  const progress = indexingProgress();
  try {
    return await openPipeline({
      corpus: options.corpus,
      dataDir: options.dataDir,
      rebuild: options.rebuild,
      dims: options.dims,
      vectors: options.vectors,
      model: options.model,
      heads: options.heads,
      onProgress: progress.onProgress,
      onRebuild: (reason) => process.stderr.write(`indexing: ${reason}\n`),
      onSkip: (path, reason) => process.stderr.write(`warning: skipped ${path}: ${reason}\n`),
      ...extra,
    });
  } finally {
    progress.stop();
  }
}
