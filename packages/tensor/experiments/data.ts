/**
 * Character-level data for the mixed-precision experiment: a slice of
 * tinyshakespeare split into a training part and a held-out part, a
 * character vocabulary, and seeded batches of (context, next character)
 * pairs in the style of Bengio et al. 2003 (a fixed window of `context`
 * characters predicts the one after it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Generator, type Tensor, tensor } from '../src/index.js';

/** Encoded text: the vocabulary and the two slices as character ids. */
export interface CharData {
  /** Where the text came from (a path). */
  source: string;
  /** True when the bundled 30 kB fixture stood in for the full corpus. */
  fallback: boolean;
  /** The characters, in id order. */
  vocab: string[];
  /** Training slice, as ids. */
  train: Int32Array;
  /** Held-out slice (the text right after the training slice), as ids. */
  heldOut: Int32Array;
}

/** How much text to take. */
export interface SliceOptions {
  /** Characters of training text. */
  trainChars: number;
  /** Characters of held-out text, taken right after the training slice. */
  heldOutChars: number;
}

const FIXTURE = new URL('../test/fixtures/tinyshakespeare-head.txt', import.meta.url);

/**
 * Reads `DIR/text/tinyshakespeare/input.txt`, or the bundled fixture when it is absent.
 * @param dataDir - the shared data folder
 * @param options - slice sizes (shrunk proportionally when the text is shorter)
 * @returns the encoded slices
 */
export function loadCharData(dataDir: string, options: SliceOptions): CharData {
  const path = join(dataDir, 'text', 'tinyshakespeare', 'input.txt');
  const fallback = !existsSync(path);
  const source = fallback ? FIXTURE.pathname : path;
  const text = readFileSync(source, 'utf8');
  const vocab = [...new Set(text)].sort();
  const index = new Map(vocab.map((c, i) => [c, i]));
  const wanted = options.trainChars + options.heldOutChars;
  const shrink = Math.min(1, text.length / wanted);
  const trainChars = Math.floor(options.trainChars * shrink);
  const heldOutChars = Math.floor(options.heldOutChars * shrink);
  const encode = (s: string) => Int32Array.from(s, (c) => index.get(c)!);
  return {
    source,
    fallback,
    vocab,
    train: encode(text.slice(0, trainChars)),
    heldOut: encode(text.slice(trainChars, trainChars + heldOutChars)),
  };
}

/** A batch: `x` int32 [batch, context] and `y` int32 [batch]. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

/**
 * `batch` random windows of `ids` (start positions drawn from `generator`).
 * @returns contexts and their next characters
 */
export function sampleBatch(
  ids: Int32Array,
  context: number,
  batch: number,
  generator: Generator,
): Batch {
  const starts = Array.from({ length: batch }, () =>
    generator.integer(0, ids.length - context - 1),
  );
  return windows(ids, context, starts);
}

/** Every window of `ids` in order, `batch` at a time (the held-out evaluation set). */
export function allWindows(ids: Int32Array, context: number, batch: number): Batch[] {
  const out: Batch[] = [];
  const last = ids.length - context;
  for (let s = 0; s < last; s += batch) {
    const starts = Array.from({ length: Math.min(batch, last - s) }, (_, i) => s + i);
    out.push(windows(ids, context, starts));
  }
  return out;
}

function windows(ids: Int32Array, context: number, starts: number[]): Batch {
  const x = new Int32Array(starts.length * context);
  const y = new Int32Array(starts.length);
  starts.forEach((s, b) => {
    x.set(ids.subarray(s, s + context), b * context);
    y[b] = ids[s + context]!;
  });
  return {
    x: tensor(x, { shape: [starts.length, context], dtype: 'int32' }),
    y: tensor(y, { shape: [starts.length], dtype: 'int32' }),
  };
}
