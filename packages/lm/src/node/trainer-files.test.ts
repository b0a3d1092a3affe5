/** Trainer checkpoints on disk: latest wins, old ones are pruned, a newer format is named. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { split } from '../../test/char-data.js';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import { restoreTrainer } from '../train/restore-trainer.js';
import { Trainer } from '../train/trainer.js';
import { readTrainerCheckpoint, writeTrainerCheckpoint } from './trainer-files.js';

const dir = mkdtempSync(join(tmpdir(), 'x-lm-trainer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainer checkpoint folders', () => {
  it('writes step folders, keeps the latest two, reads the latest back', async () => {
    const model = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 62,
        n_positions: 16,
        n_embd: 16,
        n_layer: 1,
        n_head: 2,
      }),
    );
    const trainer = new Trainer(model, split, {
      steps: 3,
      blockSize: 8,
      batchSize: 2,
      checkpointInterval: 1,
    });
    await trainer.run({
      onCheckpoint: (files, step) => writeTrainerCheckpoint(dir, files, step).then(() => {}),
    });
    expect(readdirSync(dir).sort()).toEqual(['latest.json', 'step-0000002', 'step-0000003']);
    const restored = await restoreTrainer(await readTrainerCheckpoint(dir), split);
    expect(restored.step).toBe(3);
    expect(restored.history).toEqual(trainer.history);
  });
  it('a newer format version is named', async () => {
    const files = await readTrainerCheckpoint(dir);
    const json = JSON.parse(new TextDecoder().decode(files['trainer.json']));
    files['trainer.json'] = new TextEncoder().encode(JSON.stringify({ ...json, version: 99 }));
    await expect(restoreTrainer(files, split)).rejects.toThrow(
      'format version 99; this version of @x/lm reads up to 1',
    );
    await expect(readTrainerCheckpoint(join(dir, 'nothing'))).rejects.toThrow('no checkpoint in');
  });
});
