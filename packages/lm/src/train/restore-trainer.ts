/**
 * Restores a `Trainer` from the checkpoint files `trainer-checkpoint.ts`
 * describes, so training continues exactly where it stopped.
 */
import { loadSafetensors, type Tensor } from '@x/tensor';
import { CheckpointError } from '../errors.js';
import { modelFromBytes } from '../io/checkpoint.js';
import { Trainer, type TrainerOptions, type TrainingData } from './trainer.js';
import {
  TRAINER_CHECKPOINT_VERSION,
  type TrainerCheckpoint,
  type TrainerJson,
} from './trainer-checkpoint.js';

function file(files: TrainerCheckpoint, name: string): Uint8Array {
  const bytes = files[name];
  if (!bytes) throw new CheckpointError('restoreTrainer', `the checkpoint lacks ${name}`);
  return bytes;
}

/**
 * A trainer restored from checkpoint files, ready to continue.
 * @param files - the checkpoint (from `Trainer.checkpoint` or `readTrainerCheckpoint` of `@x/lm/node`)
 * @param data - the same training and validation tokens
 * @param overrides - options to change (e.g. more `steps`); the rest are the saved ones
 * @returns the trainer at the saved step
 * @throws CheckpointError for missing or corrupt files, or a newer format version
 * @example
 * const trainer = restoreTrainer(files, { train, val }, { steps: 4000 });
 * await trainer.run();
 */
export async function restoreTrainer(
  files: TrainerCheckpoint,
  data: TrainingData,
  overrides: Partial<TrainerOptions> = {},
): Promise<Trainer> {
  let json: TrainerJson;
  try {
    json = JSON.parse(new TextDecoder().decode(file(files, 'trainer.json')));
  } catch (error) {
    if (CheckpointError.isInstance(error)) throw error;
    throw new CheckpointError(
      'restoreTrainer',
      `trainer.json is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (json.format !== 'x-lm-trainer')
    throw new CheckpointError('restoreTrainer', 'trainer.json is not an x-lm trainer checkpoint');
  if (json.version > TRAINER_CHECKPOINT_VERSION)
    throw new CheckpointError(
      'restoreTrainer',
      `trainer.json has format version ${json.version}; this version of @x/lm reads up to ${TRAINER_CHECKPOINT_VERSION}`,
    );
  const model = modelFromBytes(
    new TextDecoder().decode(file(files, 'config.json')),
    file(files, 'model.safetensors'),
  );
  const trainer = new Trainer(model.train(), data, { ...json.options, ...overrides });
  let moments: Record<string, Tensor>;
  try {
    moments = loadSafetensors(file(files, 'optimizer.safetensors')).tensors;
  } catch (error) {
    throw new CheckpointError(
      'restoreTrainer',
      `optimizer.safetensors: ${(error as Error).message}`,
      {},
      { cause: error },
    );
  }
  const state: Record<number, Record<string, Tensor | number>> = {};
  const entry = (index: number) => {
    state[index] ??= {};
    return state[index];
  };
  for (const [name, t] of Object.entries(moments)) {
    const [, index, key] = name.split('.');
    entry(Number(index))[key!] = t;
  }
  for (const [index, entries] of Object.entries(json.counters))
    Object.assign(entry(Number(index)), entries);
  trainer.optimizer.loadStateDict({ state, paramGroups: json.paramGroups });
  trainer.restoreState({
    step: json.step,
    history: json.history,
    sampler: json.sampler,
    scaler: json.scaler,
  });
  return trainer;
}
