/**
 * Trainer checkpoints on disk (Node.js). Each checkpoint is a folder
 * `step-NNNNNNN/` with the four files of `TrainerCheckpoint`; `latest.json`
 * names the newest complete one and is replaced atomically after the folder
 * is fully written (so a crash leaves the previous checkpoint in force), and
 * older folders beyond `keep` are removed.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@x/tensor/node';
import { CheckpointError } from '../errors.js';
import type { TrainerCheckpoint } from '../train/trainer-checkpoint.js';

const FILES = [
  'config.json',
  'model.safetensors',
  'optimizer.safetensors',
  'trainer.json',
] as const;

/**
 * Writes a checkpoint under `dir` and makes it the latest.
 * @param dir - the checkpoints folder (created if needed)
 * @param files - from `Trainer.checkpoint()`
 * @param step - the step it was taken at
 * @param keep - how many checkpoint folders to keep @default 2
 * @returns the folder written
 */
export async function writeTrainerCheckpoint(
  dir: string,
  files: TrainerCheckpoint,
  step: number,
  keep = 2,
): Promise<string> {
  const name = `step-${String(step).padStart(7, '0')}`;
  const folder = join(dir, name);
  await mkdir(folder, { recursive: true });
  for (const file of FILES) {
    const bytes = files[file];
    if (!bytes) throw new CheckpointError('writeTrainerCheckpoint', `the checkpoint lacks ${file}`);
    await writeFileAtomic(join(folder, file), bytes);
  }
  await writeFileAtomic(
    join(dir, 'latest.json'),
    new TextEncoder().encode(`${JSON.stringify({ latest: name, step })}\n`),
  );
  const folders = (await readdir(dir)).filter((f) => /^step-\d{7}$/.test(f)).sort();
  for (const old of folders.slice(0, Math.max(0, folders.length - keep)))
    if (old !== name) await rm(join(dir, old), { recursive: true, force: true });
  return folder;
}

/**
 * Reads the latest checkpoint under `dir`.
 * @param dir - the checkpoints folder
 * @returns the files, for `restoreTrainer`
 * @throws CheckpointError when there is no checkpoint or a file is missing
 */
export async function readTrainerCheckpoint(dir: string): Promise<TrainerCheckpoint> {
  let latest: { latest?: unknown };
  try {
    latest = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8'));
  } catch (error) {
    throw new CheckpointError(
      'readTrainerCheckpoint',
      `no checkpoint in ${dir} (latest.json: ${(error as Error).message})`,
    );
  }
  if (typeof latest.latest !== 'string' || !/^step-\d{7}$/.test(latest.latest))
    throw new CheckpointError(
      'readTrainerCheckpoint',
      `${join(dir, 'latest.json')} names no checkpoint folder`,
    );
  const folder = join(dir, latest.latest);
  const files: TrainerCheckpoint = {};
  for (const file of FILES) {
    const path = join(folder, file);
    if (!(await stat(path).catch(() => null)))
      throw new CheckpointError('readTrainerCheckpoint', `${path} is missing`);
    files[file] = await readFile(path);
  }
  return files;
}
