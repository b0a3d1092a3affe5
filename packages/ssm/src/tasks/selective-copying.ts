/**
 * The selective copying task of the Mamba paper (Section 4.1.1, Figure 2;
 * generator `torch_copying_data(..., variable=True)` in state-spaces/s4
 * `src/dataloaders/datasets/copying.py`): `tokensToCopy` data tokens are
 * scattered at random (sorted) positions among noise tokens in a region of
 * `sequenceLength` positions, followed by `tokensToCopy` marker tokens; at the
 * markers the model must output the data tokens in order. Solving it needs
 * content-aware memory (skip the noise, keep the data): a time-invariant
 * model cannot know where the data sits.
 *
 *   input:   [ n n d1 n d2 n n ... d16 n | m m ... m ]     length sequenceLength + tokensToCopy
 *   target:  [ -  -  -  -  -  -  - ...  - | d1 d2 ... d16 ] (- = ignored, -100)
 *
 * Ids: data tokens 0 .. vocabSize - 1, noise = vocabSize, marker = vocabSize + 1,
 * so models need an input vocabulary of vocabSize + 2.
 */
import { type Generator, type Tensor, tensor } from '@x/tensor';
import { SsmValueError } from '../errors.js';
import { checkInteger } from '../validate.js';

/** Options of `selectiveCopyingBatch`. */
export interface SelectiveCopyingOptions {
  /** Sequences per batch. */
  batchSize: number;
  /** Length of the region the data tokens are scattered in. @default 64 */
  sequenceLength?: number;
  /** Number of data tokens to copy. @default 16 */
  tokensToCopy?: number;
  /** Number of distinct data tokens. @default 16 */
  vocabSize?: number;
  /**
   * Draw the number of tokens of each batch uniformly from 1 .. tokensToCopy
   * (the generator's `variable_length` option; input length sequenceLength + drawn count). @default false
   */
  variableLength?: boolean;
}

/** One batch of the task. */
export interface SelectiveCopyingBatch {
  /** int32 `[batch, sequenceLength + tokensToCopy]`. */
  readonly inputs: Tensor;
  /** int32, same shape: the data tokens at the marker positions, -100 elsewhere. */
  readonly targets: Tensor;
  /** The ignored-target value (-100, `crossEntropy`'s default). */
  readonly ignoreIndex: number;
}

/**
 * Draws a batch of the selective copying task.
 * @param options - batch size, region length, tokens to copy, vocabulary
 * @param generator - random source (seeded for reproducible data)
 * @returns inputs and targets
 * @throws SsmValueError when tokensToCopy exceeds sequenceLength or a size is not a positive integer
 * @example
 * const { inputs } = selectiveCopyingBatch({ batchSize: 1, sequenceLength: 8, tokensToCopy: 2, vocabSize: 4 }, new Generator(0));
 * inputs.toArray() // e.g. [[4, 2, 4, 4, 4, 0, 4, 4, 5, 5]]
 */
export function selectiveCopyingBatch(
  options: SelectiveCopyingOptions,
  generator: Generator,
): SelectiveCopyingBatch {
  const op = 'selectiveCopyingBatch';
  const batch = checkInteger(op, 'batchSize', options.batchSize);
  const region = checkInteger(op, 'sequenceLength', options.sequenceLength ?? 64);
  const maxCount = checkInteger(op, 'tokensToCopy', options.tokensToCopy ?? 16);
  const count = options.variableLength ? 1 + Math.floor(generator.uniform() * maxCount) : maxCount;
  const vocab = checkInteger(op, 'vocabSize', options.vocabSize ?? 16);
  if (maxCount > region)
    throw new SsmValueError(
      op,
      'tokensToCopy',
      `tokensToCopy ${maxCount} exceeds sequenceLength ${region}`,
      maxCount,
    );
  const noise = vocab;
  const marker = vocab + 1;
  const total = region + count;
  const inputs = new Int32Array(batch * total);
  const targets = new Int32Array(batch * total).fill(-100);
  const positions = Array.from({ length: region }, (_, i) => i);
  for (let b = 0; b < batch; b++) {
    // partial Fisher-Yates: the first `count` entries become a random subset
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(generator.uniform() * (region - i));
      [positions[i], positions[j]] = [positions[j]!, positions[i]!];
    }
    const chosen = positions.slice(0, count).sort((x, y) => x - y);
    const row = b * total;
    inputs.fill(noise, row, row + region);
    inputs.fill(marker, row + region, row + total);
    chosen.forEach((position, k) => {
      const token = Math.floor(generator.uniform() * vocab);
      inputs[row + position] = token;
      targets[row + region + k] = token;
    });
  }
  return {
    inputs: tensor(inputs, { shape: [batch, total], dtype: 'int32' }),
    targets: tensor(targets, { shape: [batch, total], dtype: 'int32' }),
    ignoreIndex: -100,
  };
}
