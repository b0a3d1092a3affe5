/**
 * Memory: flash never holds an N x M buffer. Intermediate bytes of a call
 * are the backend's peak growth (@x/tensor's memory()) plus the kernels'
 * peak scratch (scratchMemory()); the test compares flash with naive on the
 * same problem, forward and backward.
 */
import { Generator, memory, randn, resetPeakMemory, type Tensor, tidy } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { attention } from './attention.js';
import { resetScratchPeak, scratchMemory } from './kernels/scratch.js';

/** Peak bytes allocated while `fn` runs (backend growth + kernel scratch). */
function intermediateBytes(fn: () => void): number {
  const before = memory().bytes;
  resetPeakMemory();
  resetScratchPeak();
  tidy(fn);
  return memory().peakBytes - before + scratchMemory().peakBytes;
}

describe('flash memory is O(N d), not O(N M)', () => {
  const N = 2048;
  const d = 16;
  const generator = new Generator(1);
  const make = () => randn([1, 1, N, d], { generator, requiresGrad: true });
  const [q, k, v] = [make(), make(), make()] as [Tensor, Tensor, Tensor];
  const scores = N * N;

  it('forward: under 5% of naive, and less than one byte per score', () => {
    const flash = intermediateBytes(() =>
      attention(q, k, v, { causal: true, implementation: 'flash' }),
    );
    const naive = intermediateBytes(() =>
      attention(q, k, v, { causal: true, implementation: 'naive' }),
    );
    expect(naive).toBeGreaterThan(4 * scores); // at least one float32 N x N matrix
    expect(flash).toBeLessThan(0.05 * naive);
    expect(flash).toBeLessThan(scores);
    expect(scratchMemory().bytes).toBe(0); // every scratch buffer returned
  });

  it('forward + backward: under 5% of naive', () => {
    const run = (implementation: 'naive' | 'flash') => () => {
      attention(q, k, v, { causal: true, implementation }).sum().backward();
    };
    const flash = intermediateBytes(run('flash'));
    const naive = intermediateBytes(run('naive'));
    expect(flash).toBeLessThan(0.05 * naive);
    expect(flash).toBeLessThan(scores);
  });
});
