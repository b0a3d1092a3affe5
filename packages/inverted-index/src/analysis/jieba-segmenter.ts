/**
 * An optional dictionary word segmenter for Chinese on jieba-wasm (the Rust
 * jieba compiled to WebAssembly, with its dictionary built in, so nothing is
 * downloaded). jieba-wasm is an optional peer dependency, imported only when
 * this function is called.
 */

import { OptionError } from '../errors.js';
import type { WordSegmenter } from './cjk-filter.js';

interface JiebaModule {
  cut(text: string, hmm?: boolean | null): string[];
  default?: unknown;
}

/**
 * Loads jieba-wasm and returns a {@link WordSegmenter} for
 * `createAnalyzer({ cjk: 'dictionary', segmenter })`.
 *
 * @param options - `hmm`: let jieba's HMM find words missing from its dictionary
 * @default options.hmm true
 * @returns the segmenter
 * @throws OptionError when jieba-wasm is not installed
 * @example
 * ```ts
 * const segmenter = await loadJiebaSegmenter();
 * segmenter.segment('我来到北京清华大学'); // ['我', '来到', '北京', '清华大学']
 * ```
 */
export async function loadJiebaSegmenter(options: { hmm?: boolean } = {}): Promise<WordSegmenter> {
  const hmm = options.hmm ?? true;
  let module: JiebaModule;
  try {
    const specifier = 'jieba-wasm';
    module = (await import(/* @vite-ignore */ specifier)) as JiebaModule;
  } catch (cause) {
    throw new OptionError(
      'loadJiebaSegmenter',
      `cannot import jieba-wasm (${String(cause)}); install it with npm install jieba-wasm`,
      'jieba-wasm',
    );
  }
  let cut = module.cut ?? (module.default as JiebaModule | undefined)?.cut;
  if (typeof cut !== 'function' && typeof module.default === 'function') {
    // the browser build exports an init function that fetches the wasm file
    await (module.default as () => Promise<unknown>)();
    cut = module.cut;
  }
  if (typeof cut !== 'function') {
    throw new OptionError('loadJiebaSegmenter', 'jieba-wasm has no cut() export', 'jieba-wasm');
  }
  const segment = cut;
  return { name: 'jieba', segment: (text) => segment(text, hmm) };
}
