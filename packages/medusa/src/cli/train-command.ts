/**
 * `x-medusa train`: trains Medusa heads for a model folder by
 * self-distillation and writes them as a heads folder, printing the
 * per-head accuracy next to the reference's.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadModel, loadTokenizer, trainingProgressBar } from '@x/lm/node';
import { setWasmThreads } from '@x/tensor';
import { writeFileAtomic } from '@x/tensor/node';
import { saveHeads } from '../node/heads-files.js';
import { trainMedusa } from '../train/train-medusa.js';
import { MedusaCliError } from './errors.js';

/** Top-1 of the reference's five Vicuna-7B heads (the Medusa README's figure). */
export const REFERENCE_TOP1 = [0.56, 0.32, 0.2, 0.15, 0.12] as const;

/** Options of `x-medusa train`. */
export interface TrainCommandOptions {
  model: string;
  out: string;
  data?: string;
  heads?: number;
  layers?: number;
  shareLmHead?: boolean;
  sequences?: number;
  heldOut?: number;
  promptLength?: number;
  continuation?: number;
  temperature?: number;
  steps?: number;
  batchSize?: number;
  lr?: number;
  decay?: number;
  seed?: number;
  threads?: number;
  quiet?: boolean;
}

/** The accuracy table printed after training. */
export function accuracyTable(accuracy: {
  top1: readonly number[];
  top5: readonly number[];
}): string {
  const lines = ['head  top-1  top-5  reference top-1 (Vicuna-7B)'];
  accuracy.top1.forEach((top1, k) => {
    const reference = REFERENCE_TOP1[k];
    lines.push(
      `${String(k + 1).padEnd(4)}  ${top1.toFixed(3)}  ${accuracy.top5[k]!.toFixed(3)}  ${reference === undefined ? '-' : reference.toFixed(2)}`,
    );
  });
  return lines.join('\n');
}

/**
 * Runs `x-medusa train`.
 * @param options - the parsed options
 * @param io - output streams (tests pass their own)
 */
export async function trainCommand(
  options: TrainCommandOptions,
  io: {
    stdout: { write: (t: string) => unknown };
    stderr: { write: (t: string) => unknown };
  } = process,
): Promise<void> {
  if (options.threads !== undefined) setWasmThreads(options.threads);
  const model = await loadModel(options.model);
  const tokenizer = await loadTokenizer(options.model);
  let corpus: Int32Array | null = null;
  if (options.data) {
    let text: string;
    try {
      text = await readFile(options.data, 'utf8');
    } catch (error) {
      throw new MedusaCliError(
        `cannot read --data ${options.data}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    corpus = Int32Array.from(tokenizer.encode(text));
  } else
    io.stderr.write(
      'no --data: the model writes its own prompts (self-distillation from scratch)\n',
    );
  const bar = options.quiet ? null : trainingProgressBar('heads');
  let lastPart = '';
  const result = await trainMedusa(model, corpus, {
    heads: options.heads,
    layers: options.layers,
    shareLmHead: options.shareLmHead,
    baseModel: resolve(options.model),
    sequences: options.sequences,
    heldOutFraction: options.heldOut,
    promptLength: options.promptLength,
    continuationLength: options.continuation,
    temperature: options.temperature,
    steps: options.steps,
    batchSize: options.batchSize,
    learningRate: options.lr,
    decay: options.decay,
    seed: options.seed,
    onData: options.quiet
      ? undefined
      : (part, done, total) => {
          if (part !== lastPart && lastPart !== '') io.stderr.write('\n');
          lastPart = part;
          io.stderr.write(
            `\rgenerating ${part} data with the base model: ${done}/${total} sequences`,
          );
          if (part === 'held-out' && done === total) io.stderr.write('\n');
        },
    onProgress: bar?.onProgress,
  });
  bar?.stop();
  await saveHeads(options.out, result.heads);
  const summary = {
    base_model: resolve(options.model),
    heads: result.heads.config.numHeads,
    layers: result.heads.config.numLayers,
    share_lm_head: result.heads.config.shareLmHead,
    train_positions: result.trainPositions,
    held_out_positions: result.heldOutPositions,
    data_seconds: result.dataMs / 1000,
    train_seconds: result.trainMs / 1000,
    final_loss: result.history.at(-1)?.loss ?? null,
    final_head_losses: result.history.at(-1)?.headLosses ?? null,
    accuracy: { top1: result.accuracy.top1, top5: result.accuracy.top5 },
    reference_top1: REFERENCE_TOP1,
  };
  await writeFileAtomic(
    `${options.out}/training.json`,
    new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`),
  );
  io.stdout.write(
    `${accuracyTable(result.accuracy)}\n(held-out: ${result.heldOutPositions} positions; data ${(result.dataMs / 1000).toFixed(1)} s, training ${(result.trainMs / 1000).toFixed(1)} s)\nwrote ${options.out}\n`,
  );
}
