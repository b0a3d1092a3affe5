/**
 * Leak probe (issue 19): 1,000 attention calls (flash and naive, causal,
 * forward and backward) after a warm-up of 100, each inside `tidy`, leave
 * the backend's live storages unchanged and retain under 2 MB of JS heap and
 * of buffer and WebAssembly memory; the growth is printed.
 */
import { getBackend, listBackends, memory, randn, setBackend, tidy } from '@x/tensor';
import { expect, it } from 'vitest';
import { describeLeak, measureLeak } from '../../../scripts/test-support/leak.js';
import { attention } from './index.js';

const BOUND = 2 * 1024 * 1024;

it.each(listBackends().filter((name) => name === 'js' || name === 'wasm'))(
  '%s: 1,000 attention calls hold heap, wasm memory and live tensors flat',
  (backend) => {
    const previous = getBackend().name;
    setBackend(backend);
    try {
      const q = randn([1, 2, 32, 16]);
      const k = randn([1, 2, 32, 16]);
      const v = randn([1, 2, 32, 16]);
      let storages = -1;
      const report = measureLeak(
        (i) => {
          tidy(() => {
            if (i % 4 === 3) {
              const qg = q.clone().requiresGrad_(true);
              attention(qg, k, v, { causal: true, implementation: 'flash' }).sum().backward();
              qg.grad?.dispose(); // gradients outlive tidy by design (they are kept for the optimizer)
              return;
            }
            attention(q, k, v, { causal: true, implementation: i % 2 === 0 ? 'flash' : 'naive' });
          });
          if (i === 99) storages = memory().storages;
        },
        1_000,
        100,
      );
      console.log(describeLeak(`attention on ${backend} (flash, naive, backward)`, report));
      expect(memory().storages).toBe(storages);
      expect(report.heapGrowth).toBeLessThan(BOUND);
      expect(report.bufferGrowth).toBeLessThan(BOUND);
    } finally {
      setBackend(previous);
    }
  },
);
