/**
 * `x-lm eval`: validation loss and perplexity of a checkpoint folder on a
 * text file (its last `--val-fraction`, nanoGPT's split, or all of it).
 */
import { readFile } from 'node:fs/promises';
import { setWasmThreads } from '@x/tensor';
import { loadModel } from '../node/model-files.js';
import { loadTokenizer } from '../node/tokenizer-files.js';
import { evaluateLoss } from '../train/evaluate.js';
import { LmCliError } from './errors.js';

/** Options of `x-lm eval`. */
export interface EvalCommandOptions {
  model: string;
  data: string;
  split?: string;
  valFraction?: number;
  blockSize?: number;
  maxTokens?: number;
  threads?: number;
}

/** Runs `x-lm eval`; prints one JSON line. */
export async function evalCommand(options: EvalCommandOptions): Promise<void> {
  if (options.threads !== undefined) setWasmThreads(options.threads);
  const split = options.split ?? 'val';
  if (split !== 'val' && split !== 'all')
    throw new LmCliError(`--split must be val or all, got "${split}"`);
  const model = await loadModel(options.model);
  const tokenizer = await loadTokenizer(options.model);
  const text = await readFile(options.data, 'utf8');
  const chars = [...text];
  const from = split === 'all' ? 0 : Math.floor(chars.length * (1 - (options.valFraction ?? 0.1)));
  const ids = tokenizer.encode(chars.slice(from).join(''));
  const started = performance.now();
  const result = evaluateLoss(model, ids, {
    ...(options.blockSize !== undefined ? { blockSize: options.blockSize } : {}),
    ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
  });
  console.log(
    JSON.stringify({
      command: 'x-lm eval',
      model: options.model,
      data: options.data,
      split,
      tokens: result.tokens,
      loss: Number(result.loss.toFixed(4)),
      perplexity: Number(result.perplexity.toFixed(3)),
      bitsPerToken: Number(result.bitsPerToken.toFixed(4)),
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    }),
  );
}
