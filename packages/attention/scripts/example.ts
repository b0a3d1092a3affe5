/**
 * The README's example: `npx tsx --conditions=@x/source scripts/example.ts`.
 */
import { manualSeed, noGrad, randn } from '@x/tensor';
import { attention, KVCache, scratchMemory, slidingWindow } from '../src/index.js';

manualSeed(0);
// 8 query heads sharing 2 key/value heads (grouped-query attention), 512 positions, head size 64
const q = randn([1, 8, 512, 64], { requiresGrad: true });
const k = randn([1, 2, 512, 64], { requiresGrad: true });
const v = randn([1, 2, 512, 64], { requiresGrad: true });

const naive = attention(q, k, v, { causal: true, implementation: 'naive' });
const flash = attention(q, k, v, { causal: true, implementation: 'flash' });
console.log('max |flash - naive| =', flash.sub(naive).abs().max().item().toExponential(1));

flash.square().mean().backward(); // FlashAttention-2 backward, by recomputation
console.log('dq', q.grad!.shape, 'dk', k.grad!.shape);
console.log('kernel scratch peak:', (scratchMemory().peakBytes / 1024).toFixed(0), 'KiB');

const local = attention(q, k, v, { causal: true, sparse: slidingWindow(128) }); // auto: sparse
const linear = attention(q, k, v, { causal: true, implementation: 'linear' });
console.log('sparse', local.shape, 'linear', linear.shape);

// decoding: prefill the cache, then one query at a time
noGrad(() => {
  const cache = new KVCache();
  cache.append(k, v);
  const step = cache.append(randn([1, 2, 1, 64]), randn([1, 2, 1, 64]));
  const out = attention(randn([1, 8, 1, 64]), step.keys, step.values, { causal: true });
  console.log('cache length', cache.length, 'decoded', out.shape);
});
