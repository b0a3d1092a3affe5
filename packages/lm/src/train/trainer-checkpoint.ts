/**
 * Trainer checkpoints as files in memory:
 *
 *   config.json            the model's Hugging Face config
 *   model.safetensors      the weights (float32, exact)
 *   optimizer.safetensors  AdamW's moments, `state.{i}.expAvg` / `state.{i}.expAvgSq` by parameter position
 *   trainer.json           format version, options, step, the batch generator's state,
 *                          the loss scale, per-parameter step counts, the loss history
 *
 * Everything a resumed run needs to continue exactly as the uninterrupted
 * one would. `restoreTrainer` (restore-trainer.ts) reads them back.
 */
import { saveSafetensors, type Tensor } from '@x/tensor';
import { checkpointOf } from '../io/checkpoint.js';
import type { LossPoint, Trainer, TrainerOptions } from './trainer.js';

/** A checkpoint as files by name. */
export type TrainerCheckpoint = Record<string, Uint8Array>;

/** The format version of `trainer.json`. */
export const TRAINER_CHECKPOINT_VERSION = 1;

/** What `trainer.json` holds. */
export interface TrainerJson {
  format: 'x-lm-trainer';
  version: number;
  options: TrainerOptions;
  step: number;
  sampler: number[];
  scaler: unknown;
  paramGroups: Record<string, unknown>[];
  counters: Record<string, Record<string, number>>;
  history: LossPoint[];
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`);

/**
 * The files of a checkpoint of `trainer` (internal to `Trainer.checkpoint`).
 * @param trainer - the trainer
 * @param extra - the batch generator's and the loss scaler's state
 */
export function trainerCheckpoint(
  trainer: Trainer,
  extra: { sampler: number[]; scaler: unknown },
): TrainerCheckpoint {
  const { config, weights } = checkpointOf(trainer.model);
  const state = trainer.optimizer.stateDict();
  const tensors: Record<string, Tensor> = {};
  const counters: Record<string, Record<string, number>> = {};
  for (const [index, entries] of Object.entries(state.state))
    for (const [name, value] of Object.entries(entries)) {
      if (typeof value === 'number') {
        counters[index] ??= {};
        counters[index][name] = value;
      } else tensors[`state.${index}.${name}`] = value;
    }
  const json: TrainerJson = {
    format: 'x-lm-trainer',
    version: TRAINER_CHECKPOINT_VERSION,
    options: trainer.options,
    step: trainer.step,
    sampler: extra.sampler,
    scaler: extra.scaler,
    paramGroups: state.paramGroups,
    counters,
    history: trainer.history,
  };
  return {
    'config.json': encode(config),
    'model.safetensors': weights,
    'optimizer.safetensors': saveSafetensors(tensors),
    'trainer.json': encode(json),
  };
}
