/**
 * Leak probe (issue 19): 1,000 selective-scan calls (forward, and forward
 * with backward) after a warm-up of 100, each inside `tidy`, leave the
 * backend's live storages unchanged and retain under 2 MB of JS heap and of
 * buffer and WebAssembly memory; the growth is printed.
 */
import { getBackend, listBackends, memory, rand, randn, setBackend, tidy } from '@x/tensor';
import { expect, it } from 'vitest';
import { describeLeak, measureLeak } from '../../../scripts/test-support/leak.js';
import { selectiveScan } from './index.js';

const BOUND = 2 * 1024 * 1024;

it.each(listBackends().filter((name) => name === 'js' || name === 'wasm'))(
  '%s: 1,000 scan calls hold heap, wasm memory and live tensors flat',
  (backend) => {
    const previous = getBackend().name;
    setBackend(backend);
    try {
      const u = randn([2, 8, 32]);
      const delta = randn([2, 8, 32]).mul(0.5);
      const A = rand([8, 4]).add(0.5).neg();
      const B = randn([2, 4, 32]);
      const C = randn([2, 4, 32]);
      let storages = -1;
      const report = measureLeak(
        (i) => {
          tidy(() => {
            if (i % 4 === 3) {
              const ug = u.clone().requiresGrad_(true);
              selectiveScan(ug, delta, A, B, C, { deltaSoftplus: true }).sum().backward();
              ug.grad?.dispose(); // gradients outlive tidy by design (they are kept for the optimizer)
              return;
            }
            selectiveScan(u, delta, A, B, C, { deltaSoftplus: true });
          });
          if (i === 99) storages = memory().storages;
        },
        1_000,
        100,
      );
      console.log(describeLeak(`selectiveScan on ${backend} (forward, backward)`, report));
      expect(memory().storages).toBe(storages);
      expect(report.heapGrowth).toBeLessThan(BOUND);
      expect(report.bufferGrowth).toBeLessThan(BOUND);
    } finally {
      setBackend(previous);
    }
  },
);
