/**
 * What the browser check runs, on a page's main thread and in a Web Worker:
 * each package's main path in a real browser, against a reference computed
 * in the same page (the js backend, the JS kernels, exact search).
 */
import { FlatIndex, HnswIndex, loadIndex, recallAtK } from '@x/ann';
import { randomVectors } from '@x/ann/test';
import { attention, wasmSimdKernels } from '@x/attention';
import { checkAttentionKernels } from '@x/attention/test';
import { createAnalyzer, InvertedIndex, loadJiebaSegmenter } from '@x/inverted-index';
import {
  float16ToFloat32,
  float32ToFloat16,
  initWasmKernels,
  wasmSimdAvailable as precisionWasm,
} from '@x/precision';
import { initWasmScan, selectiveScanChannelsLast, wasmScanAvailable } from '@x/ssm';
import {
  AdamW,
  crossEntropy,
  Generator,
  getBackend,
  initWasmBackend,
  Linear,
  matmul,
  randn,
  startWasmThreads,
  type Tensor,
  tensor,
  wasmInfo,
} from '@x/tensor';
import { checkCase, type InputLayout, OP_CASES } from '@x/tensor/test';

/** One check's outcome. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** Largest |a - b| over two tensors' values. */
function maxDiff(a: Tensor, b: Tensor): number {
  const x = a.toTypedArray();
  const y = b.toTypedArray();
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  return worst;
}

async function check(
  results: CheckResult[],
  name: string,
  run: () => Promise<[boolean, string]> | [boolean, string],
): Promise<void> {
  try {
    const [ok, detail] = await run();
    results.push({ name, ok, detail });
  } catch (error) {
    results.push({ name, ok: false, detail: `threw ${(error as Error).stack ?? error}` });
  }
}

/**
 * Runs every check (the page runs them on its main thread, then in a worker).
 * @returns the outcomes
 */
export async function runChecks(): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const g = new Generator(7);

  await check(
    results,
    'tensor: wasm backend (after initWasmBackend() on the main thread)',
    async () => {
      const before = getBackend().name;
      const ready = await initWasmBackend();
      const after = getBackend().name;
      // older Chrome refused synchronous compilation over 4 KB on a page's main thread: then `before` is js
      return [ready && after === 'wasm', `${before} -> ${after} (${JSON.stringify(wasmInfo())})`];
    },
  );

  await check(results, 'tensor: wasm matmul (threads where isolated) equals js', async () => {
    const threads = await startWasmThreads(); // navigator.hardwareConcurrency by default
    // above the size where the wasm matmul splits across threads
    const a = randn([256, 320], { generator: g });
    const b = randn([320, 288], { generator: g });
    const diff = maxDiff(matmul(a, b), matmul(a.toBackend('js'), b.toBackend('js')));
    const cores = navigator.hardwareConcurrency;
    // threads need SharedArrayBuffer: a cross-origin isolated page (COOP / COEP) that exposes
    // it (WebKitGTK's MiniBrowser reports isolation but has no SharedArrayBuffer)
    const shared = crossOriginIsolated && typeof SharedArrayBuffer !== 'undefined';
    const parallel = shared ? threads >= 2 || cores === 1 : threads === 1;
    return [
      diff < 1e-3 && parallel,
      `threads ${threads} of ${cores} cores, max |diff| ${diff.toExponential(2)}`,
    ];
  });

  const conformance = (backend: string, dtype: 'float32' | 'float64') => (): [boolean, string] => {
    const layouts: InputLayout[] = ['contiguous', 'transposed', 'strided'];
    let runs = 0;
    let worst = 0;
    const failures: string[] = [];
    for (const c of OP_CASES) {
      for (const layout of layouts) {
        const { comparison, tolerance } = checkCase(c, { backend, dtype }, layout);
        runs++;
        worst = Math.max(worst, comparison.worst / tolerance);
        if (!comparison.ok)
          failures.push(`${c.name} [${layout}] ${(comparison.worst / tolerance).toFixed(1)}x`);
      }
    }
    const detail = `${runs} case runs (${OP_CASES.length} ops x ${layouts.length} layouts), worst error ${(100 * worst).toFixed(1)}% of its tolerance`;
    return [
      failures.length === 0,
      failures.length ? `${detail}; failed: ${failures.join(', ')}` : detail,
    ];
  };
  await check(
    results,
    'tensor: conformance suite on wasm, float32, vs float64 oracle',
    conformance('wasm', 'float32'),
  );
  await check(
    results,
    'tensor: conformance suite on wasm, float64',
    conformance('wasm', 'float64'),
  );

  await check(results, 'tensor: autograd and AdamW fit a linear classifier', () => {
    // labels from the sign of the first feature: a linear layer separates them
    const x = randn([256, 8], { generator: g });
    const labels = x.toTypedArray().filter((_, i) => i % 8 === 0);
    const y = tensor(Int32Array.from(labels, (value) => (value > 0 ? 1 : 0)));
    const layer = new Linear(8, 2);
    const optimizer = new AdamW(layer.parameters(), { lr: 0.05 });
    let first = 0;
    let last = 0;
    for (let step = 0; step < 60; step++) {
      optimizer.zeroGrad();
      const loss = crossEntropy(layer.forward(x), y);
      loss.backward();
      optimizer.step();
      last = loss.item();
      if (step === 0) first = last;
    }
    return [last < first * 0.5, `loss ${first.toFixed(3)} -> ${last.toFixed(3)}`];
  });

  if (typeof document !== 'undefined') {
    await check(results, 'tensor: gpu backend (gpu.js) matmul and softmax equal js', async () => {
      const { registerGpuBackend } = await import('@x/tensor/gpu');
      const registration = registerGpuBackend({ force: true });
      const a = randn([64, 96], { generator: g });
      const b = randn([96, 48], { generator: g });
      const onGpu = matmul(a.toBackend('gpu'), b.toBackend('gpu')).softmax(-1);
      const onJs = matmul(a.toBackend('js'), b.toBackend('js')).softmax(-1);
      const diff = maxDiff(onGpu.toBackend('js'), onJs);
      const { mode, hardware, reason } = registration.detection;
      return [
        diff < 1e-4,
        `mode ${mode}, hardware ${hardware} (${reason}), max |diff| ${diff.toExponential(2)}`,
      ];
    });
    await check(
      results,
      'tensor: conformance suite on gpu (gpu.js), float32',
      conformance('gpu', 'float32'),
    );
  }

  await check(
    results,
    'precision: fp16 through the wasm kernels equals the JS kernels',
    async () => {
      const before = precisionWasm();
      const ready = await initWasmKernels();
      const x = new Float32Array(5000).map((_, i) => Math.sin(i) * 2 ** ((i % 40) - 20));
      const js = float32ToFloat16(x, undefined, { kernel: 'js' });
      const wasm = float32ToFloat16(x, undefined, { kernel: 'wasm' });
      const same = js.every((code, i) => code === wasm[i]);
      const back = float16ToFloat32(wasm, undefined, { kernel: 'wasm' });
      const exact = back.every(
        (v, i) => v === float16ToFloat32(js, undefined, { kernel: 'js' })[i],
      );
      return [ready && same && exact, `available before init: ${before}, codes equal: ${same}`];
    },
  );

  await check(results, 'attention: flash (wasm SIMD) equals naive', () => {
    const q = randn([1, 2, 96, 32], { generator: g });
    const k = randn([1, 2, 96, 32], { generator: g });
    const v = randn([1, 2, 96, 32], { generator: g });
    const naive = attention(q, k, v, { causal: true, implementation: 'naive' });
    const flash = attention(q, k, v, { causal: true, implementation: 'flash' });
    const diff = maxDiff(naive, flash);
    return [diff < 1e-4, `max |diff| ${diff.toExponential(2)}`];
  });

  await check(results, 'attention: wasm SIMD kernels vs the float64 reference (all cases)', () => {
    const outcomes = checkAttentionKernels(wasmSimdKernels, { dtype: 'float32' });
    const failed = outcomes.filter((outcome) => !outcome.passed).map((outcome) => outcome.name);
    return [
      failed.length === 0,
      `${outcomes.length} cases (forward, backward, masks, sparse, dropout)${failed.length ? `; failed: ${failed.join(', ')}` : ''}`,
    ];
  });

  await check(results, 'ssm: selective scan on wasm equals the JS kernel', async () => {
    const [b, l, d, n] = [2, 17, 8, 16];
    const u = randn([b, l, d], { generator: g });
    const delta = randn([b, l, d], { generator: g }).abs();
    const A = randn([d, n], { generator: g }).abs().neg();
    const B = randn([b, l, n], { generator: g });
    const C = randn([b, l, n], { generator: g });
    const before = wasmScanAvailable();
    const first = selectiveScanChannelsLast(u, delta, A, B, C).y;
    const ready = await initWasmScan();
    const second = selectiveScanChannelsLast(u, delta, A, B, C).y;
    const diff = maxDiff(first, second);
    return [
      ready && wasmScanAvailable() && diff < 1e-4,
      `before init: ${before}, max |diff| ${diff.toExponential(2)}`,
    ];
  });

  await check(results, 'inverted-index: search, phrase, CJK, snapshot round trip', () => {
    const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
    index.addAll([
      { id: 1, text: 'Vitamin D deficiency raises the risk of fractures.' },
      { id: 2, text: 'The side effects of statins include muscle pain.' },
      { id: 3, text: '学而时习之，不亦说乎？有朋自远方来，不亦乐乎？' },
    ]);
    const hits = index.search('vitamin fracture').map((hit) => hit.id);
    const phrase = index.search('"side effects"').map((hit) => hit.id);
    const chinese = index.search('时习').map((hit) => hit.id);
    const copy = InvertedIndex.load(index.save().buffer as ArrayBuffer);
    const same = JSON.stringify(copy.search('muscle')) === JSON.stringify(index.search('muscle'));
    const ok = hits[0] === 1 && phrase[0] === 2 && chinese[0] === 3 && same;
    return [ok, `hits ${hits}, phrase ${phrase}, chinese ${chinese}, snapshot equal ${same}`];
  });

  await check(
    results,
    'inverted-index: jieba-wasm word segmentation (cjk: dictionary)',
    async () => {
      const segmenter = await loadJiebaSegmenter({ module: import('jieba-wasm') });
      const words = segmenter.segment('我来到北京清华大学');
      const index = new InvertedIndex({
        fields: ['text'],
        analyzer: createAnalyzer({ cjk: 'dictionary', segmenter }),
      });
      index.addAll([
        { id: 1, text: '我来到北京清华大学' },
        { id: 2, text: '他来到了网易杭研大厦' },
      ]);
      const hits = index.search('清华大学').map((hit) => hit.id);
      const expected = ['我', '来到', '北京', '清华大学'];
      const ok = JSON.stringify(words) === JSON.stringify(expected) && hits.join() === '1';
      return [ok, `segments ${words.join(' / ')}, hits ${hits}`];
    },
  );

  await check(results, 'ann: HNSW recall against exact search, save and load', () => {
    const dimension = 16;
    const vectors = randomVectors(2000, dimension, 1);
    const queries = randomVectors(50, dimension, 2);
    const index = new HnswIndex({ dimension, metric: 'l2' });
    index.addBatch(vectors);
    const exact = new FlatIndex({ dimension, metric: 'l2' });
    exact.addBatch(vectors);
    const truth = exact.searchBatch(queries, 10);
    const found = index.searchBatch(queries, 10, { efSearch: 100 });
    const recall = recallAtK(found.ids, 10, truth.ids, 10, 10);
    const copy = loadIndex(index.save()) as HnswIndex;
    const again = copy.searchBatch(queries, 10, { efSearch: 100 });
    const same = again.ids.every((id, i) => id === found.ids[i]);
    return [
      recall >= 0.95 && same && copy.kind === index.kind,
      `recall@10 ${recall.toFixed(3)}, loaded ${copy.kind} copy equal ${same}`,
    ];
  });

  return results;
}
