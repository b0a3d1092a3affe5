/**
 * Per-head accuracy on held-out distillation data: for each head, how often
 * the base model's token k + 2 ahead is the head's first choice (top-1),
 * among its first five (top-5), and exactly its (i+1)-th choice for
 * i < 10 (the rank histogram the tree choice multiplies along paths). The
 * reference reports top-1 0.56 / 0.32 / 0.20 / 0.15 / 0.12 for the five
 * heads of Vicuna-7B (FasterDecoding/Medusa `medusa/eval/heads_accuracy.py`,
 * measured there against the model's own continuation as here).
 */
import { noGrad, tensor, tidy } from '@x/tensor';
import type { HeadAccuracy, MedusaHeads } from '../heads/medusa-heads.js';
import { type DistillationData, IGNORE } from './distill-data.js';

/** Ranks kept in the histogram. */
export const RANKS = 10;

/**
 * Measures the heads' accuracy.
 * @param heads - the heads
 * @param data - held-out distillation data (`distillationData` on prompts the heads were not trained on); positions inside the prompts are skipped
 * @returns top-1, top-5 and the rank histogram per head
 * @example
 * const accuracy = headAccuracy(heads, heldOut);
 * accuracy.top1 // [0.62, 0.41, 0.3, 0.22]
 */
export function headAccuracy(heads: MedusaHeads, data: DistillationData): HeadAccuracy {
  const K = heads.config.numHeads;
  const D = data.hiddenSize;
  const V = heads.config.vocabSize;
  const counts = Array.from({ length: K }, () => new Float64Array(RANKS));
  const measured = new Float64Array(K);
  const chunk = 512;
  noGrad(() => {
    for (let start = 0; start < data.positions; start += chunk) {
      const n = Math.min(chunk, data.positions - start);
      tidy(() => {
        const hidden = tensor(data.hidden.subarray(start * D, (start + n) * D), { shape: [n, D] });
        for (let k = 0; k < K; k++) {
          const logits = heads.logits(k, hidden).toTypedArray() as Float32Array;
          for (let i = 0; i < n; i++) {
            const target = data.targets[(start + i) * data.heads + k]!;
            if (target === IGNORE || data.generated[start + i] === 0) continue;
            measured[k]!++;
            const row = logits.subarray(i * V, (i + 1) * V);
            const value = row[target]!;
            // rank: tokens scored higher, ties counted before (as a stable descending sort by id)
            let rank = 0;
            for (let j = 0; j < V && rank < RANKS; j++)
              if (row[j]! > value || (row[j] === value && j < target)) rank++;
            if (rank < RANKS) counts[k]![rank]!++;
          }
        }
      });
    }
  });
  const rank = counts.map((row, k) =>
    Array.from(row, (c) => (measured[k]! > 0 ? c / measured[k]! : 0)),
  );
  return {
    top1: rank.map((row) => row[0]!),
    top5: rank.map((row) => row.slice(0, 5).reduce((a, b) => a + b, 0)),
    rank,
    positions: Math.min(...measured),
  };
}
