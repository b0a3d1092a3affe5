import { Generator } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { SsmValueError } from '../errors.js';
import { selectiveCopyingBatch } from './selective-copying.js';
import { trainSelectiveCopying } from './train-selective-copying.js';

describe('selectiveCopyingBatch', () => {
  it('scatters the data tokens in order among noise, then markers; targets are the tokens at the markers', () => {
    const task = { batchSize: 64, sequenceLength: 20, tokensToCopy: 5, vocabSize: 6 };
    const { inputs, targets } = selectiveCopyingBatch(task, new Generator(3));
    const x = inputs.toArray() as number[][];
    const y = targets.toArray() as number[][];
    expect(inputs.shape).toEqual([64, 25]);
    for (let b = 0; b < 64; b++) {
      const data = x[b]!.slice(0, 20).filter((v) => v !== 6);
      expect(data.length).toBe(5);
      expect(data.every((v) => v >= 0 && v < 6)).toBe(true);
      expect(x[b]!.slice(20)).toEqual([7, 7, 7, 7, 7]);
      expect(y[b]!.slice(20)).toEqual(data);
      expect(y[b]!.slice(0, 20).every((v) => v === -100)).toBe(true);
    }
  });

  it('variable length draws 1..tokensToCopy tokens per batch', () => {
    const g = new Generator(1);
    const lengths = new Set<number>();
    for (let i = 0; i < 40; i++) {
      lengths.add(
        selectiveCopyingBatch(
          { batchSize: 1, sequenceLength: 8, tokensToCopy: 3, variableLength: true },
          g,
        ).inputs.shape[1]!,
      );
    }
    expect([...lengths].sort((a, b) => a - b)).toEqual([9, 10, 11]);
  });

  it('rejects more tokens than positions', () => {
    expect(() =>
      selectiveCopyingBatch({ batchSize: 1, sequenceLength: 4, tokensToCopy: 5 }, new Generator(0)),
    ).toThrow(SsmValueError);
  });
});

describe('learning selective copying (a small instance of the Mamba paper experiment)', () => {
  it('a 2-layer Mamba reaches >= 90% token accuracy on 16 positions, 4 tokens, vocabulary 4', () => {
    const result = trainSelectiveCopying({
      task: { batchSize: 16, sequenceLength: 16, tokensToCopy: 4, vocabSize: 4 },
      model: { dModel: 32, nLayers: 2, mixer: 'mamba', tieEmbeddings: false, initializerRange: 1 },
      steps: 500,
      lr: 1e-2,
      warmup: 20,
      evalEvery: 50,
      evalSize: 256,
      targetAccuracy: 0.92,
    });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
    // the curve rises from chance (1/4)
    expect(result.curve[0]!.accuracy).toBeLessThan(result.accuracy);
  }, 90_000);
});
