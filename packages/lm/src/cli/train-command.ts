/**
 * `x-lm train`: a character-level GPT on a text file, from a preset, with a
 * progress bar, periodic validation and checkpoints; writes a checkpoint
 * folder that `x-lm generate` and `loadModel` read (config.json,
 * model.safetensors, tokenizer.json), plus the loss curve (loss.svg) and a
 * log of the run (train-log.json).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setWasmThreads } from '@x/tensor';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import type { LanguageModel } from '../models/language-model.js';
import { loadModel, saveModel } from '../node/model-files.js';
import { trainingProgressBar } from '../node/progress.js';
import { saveTokenizer } from '../node/tokenizer-files.js';
import { readTrainerCheckpoint, writeTrainerCheckpoint } from '../node/trainer-files.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { evaluateLoss } from '../train/evaluate.js';
import { lossCurveSvg } from '../train/loss-plot.js';
import { PRESETS, type PresetName } from '../train/presets.js';
import { restoreTrainer } from '../train/restore-trainer.js';
import { Trainer, type TrainerOptions, type TrainingPrecision } from '../train/trainer.js';
import { LmCliError } from './errors.js';

/** Options of `x-lm train`. */
export interface TrainCommandOptions {
  data: string;
  preset: string;
  out: string;
  steps?: number;
  valFraction?: number;
  precision?: string;
  seed?: number;
  threads?: number;
  resume?: boolean;
  saveDtype?: string;
  quiet?: boolean;
}

/** Runs `x-lm train`; prints one JSON line with the results. */
export async function trainCommand(options: TrainCommandOptions): Promise<void> {
  const preset = PRESETS[options.preset as PresetName];
  if (!preset)
    throw new LmCliError(
      `unknown preset "${options.preset}" (choose one of: ${Object.keys(PRESETS).join(', ')})`,
    );
  const saveDtype = options.saveDtype ?? 'float32';
  if (!['float32', 'float16', 'bfloat16'].includes(saveDtype))
    throw new LmCliError(`--save-dtype must be float32, float16 or bfloat16, got "${saveDtype}"`);
  const valFraction = options.valFraction ?? 0.1;
  if (!(valFraction > 0 && valFraction < 1))
    throw new LmCliError(`--val-fraction must be in (0, 1), got ${valFraction}`);
  if (options.threads !== undefined) setWasmThreads(options.threads);
  const text = await readFile(options.data, 'utf8');
  // nanoGPT's split: the first 1 - valFraction of the characters train, the rest validate
  const chars = [...text];
  const cut = Math.floor(chars.length * (1 - valFraction));
  const tokenizer = CharTokenizer.fromCorpus(text);
  const train = Int32Array.from(tokenizer.encode(chars.slice(0, cut).join('')));
  const val = Int32Array.from(tokenizer.encode(chars.slice(cut).join('')));
  const checkpoints = join(options.out, 'checkpoint');
  const trainerOptions: TrainerOptions = {
    ...preset.trainer,
    ...(options.steps !== undefined ? { steps: options.steps } : {}),
    ...(options.precision !== undefined
      ? { precision: options.precision as TrainingPrecision }
      : {}),
    seed: options.seed ?? 1337,
  };
  let trainer: Trainer;
  if (options.resume) {
    trainer = await restoreTrainer(
      await readTrainerCheckpoint(checkpoints),
      { train, val },
      options.steps !== undefined ? { steps: options.steps } : {},
    );
  } else {
    const { layers, heads, width } = preset.model;
    const model = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: tokenizer.vocabSize,
        n_positions: trainerOptions.blockSize,
        n_embd: width,
        n_layer: layers,
        n_head: heads,
      }),
      { seed: options.seed ?? 1337 },
    );
    trainer = new Trainer(model, { train, val }, trainerOptions);
  }
  const bar = options.quiet ? null : trainingProgressBar(options.preset);
  const saveAll = async (model: LanguageModel) => {
    await saveModel(options.out, model, { dtype: saveDtype as 'float32' });
    await saveTokenizer(tokenizer, options.out);
    await writeFile(
      join(options.out, 'loss.svg'),
      lossCurveSvg(trainer.history, { title: `x-lm train --preset ${options.preset}` }),
    );
  };
  const result = await trainer.run({
    ...(bar ? { onProgress: bar.onProgress } : {}),
    onCheckpoint: async (files, step) => {
      await writeTrainerCheckpoint(checkpoints, files, step);
      await saveAll(trainer.model);
    },
  });
  bar?.stop();
  // the saved model as a user loads it (16-bit weights when --save-dtype says so), on the whole val split
  const saved = await loadModel(options.out);
  const final = evaluateLoss(saved, val, { blockSize: trainer.options.blockSize });
  const log = {
    command: 'x-lm train',
    preset: options.preset,
    data: options.data,
    parameters: trainer.model.parameterCount(),
    steps: result.steps,
    trainLoss: Number(result.trainLoss.toFixed(4)),
    valLoss: Number(final.loss.toFixed(4)),
    valTokens: final.tokens,
    wallSeconds: Number((result.wallMs / 1000).toFixed(1)),
    tokensPerSecond: Math.round(result.tokensPerSecond),
    saveDtype,
  };
  await writeFile(
    join(options.out, 'train-log.json'),
    `${JSON.stringify({ ...log, history: trainer.history }, null, 1)}\n`,
  );
  console.log(JSON.stringify(log));
}
