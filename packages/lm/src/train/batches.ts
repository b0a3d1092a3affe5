/**
 * Training batches from a stream of token ids, as nanoGPT's `get_batch`:
 * B windows of T + 1 tokens at random offsets; inputs are the first T,
 * targets the last T. The offsets come from a seeded generator whose state
 * is saved in checkpoints, so a resumed run draws the same batches as an
 * uninterrupted one. Evaluation uses a fixed set of windows (the same for
 * every evaluation), so validation losses are comparable across steps.
 */
import { Generator, type Tensor, tensor } from '@x/tensor';
import { LmValueError } from '../errors.js';

/** A batch: int32 inputs and targets, both [B, T]. */
export interface Batch {
  readonly inputs: Tensor;
  readonly targets: Tensor;
}

function windows(data: Int32Array, offsets: readonly number[], T: number, backend?: string): Batch {
  const B = offsets.length;
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  offsets.forEach((offset, b) => {
    x.set(data.subarray(offset, offset + T), b * T);
    y.set(data.subarray(offset + 1, offset + T + 1), b * T);
  });
  return {
    inputs: tensor(x, { shape: [B, T], dtype: 'int32', backend }),
    targets: tensor(y, { shape: [B, T], dtype: 'int32', backend }),
  };
}

/** Draws random training windows. */
export class BatchSampler {
  private readonly generator: Generator;

  /**
   * @param data - the token ids
   * @param blockSize - T, tokens per window
   * @param batchSize - B, windows per batch
   * @param seed - seed of the offsets
   * @throws LmValueError when the data is shorter than one window
   */
  constructor(
    readonly data: Int32Array,
    readonly blockSize: number,
    readonly batchSize: number,
    seed: number,
  ) {
    if (data.length < blockSize + 1)
      throw new LmValueError(
        'BatchSampler',
        `the data has ${data.length} tokens, fewer than one window of blockSize + 1 = ${blockSize + 1}`,
        'data',
        data.length,
      );
    this.generator = new Generator(seed);
  }

  /** The next batch. */
  next(backend?: string): Batch {
    const span = this.data.length - this.blockSize;
    const offsets = Array.from({ length: this.batchSize }, () => this.generator.integer(0, span));
    return windows(this.data, offsets, this.blockSize, backend);
  }

  /** The generator's state (for checkpoints). */
  getState(): number[] {
    return this.generator.getState();
  }

  /** Restores a state from `getState()`. */
  setState(state: readonly number[]): void {
    this.generator.setState(state);
  }
}

/**
 * A fixed list of evaluation batches: `count` batches of windows at offsets
 * spread evenly over the data (deterministic, no generator).
 * @param data - token ids
 * @param blockSize - T
 * @param batchSize - B
 * @param count - batches
 * @returns the batches' offsets, to be materialized with `evaluationBatch`
 */
export function evaluationOffsets(
  data: Int32Array,
  blockSize: number,
  batchSize: number,
  count: number,
): number[][] {
  const span = data.length - blockSize - 1;
  const total = batchSize * count;
  const offsets = Array.from({ length: total }, (_, i) =>
    Math.floor((i * span) / Math.max(1, total - 1)),
  );
  return Array.from({ length: count }, (_, c) => offsets.slice(c * batchSize, (c + 1) * batchSize));
}

/**
 * The batch of windows at `offsets`.
 * @param data - token ids
 * @param offsets - window starts
 * @param blockSize - T
 * @param backend - tensor backend
 */
export function evaluationBatch(
  data: Int32Array,
  offsets: readonly number[],
  blockSize: number,
  backend?: string,
): Batch {
  return windows(data, offsets, blockSize, backend);
}
