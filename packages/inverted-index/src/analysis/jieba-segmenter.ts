/**
 * An optional dictionary word segmenter for Chinese on jieba-wasm (the Rust
 * jieba compiled to WebAssembly, with its dictionary built in, so nothing is
 * downloaded). jieba-wasm is an optional peer dependency, imported only when
 * this function is called, or handed in by the caller (browser bundles).
 */

import { OptionError } from '../errors.js';
import type { WordSegmenter } from './cjk-filter.js';

/** The part of the jieba-wasm module this file uses (its Node or its web build). */
export interface JiebaModule {
  cut(text: string, hmm?: boolean | null): string[];
  default?: unknown;
}

/** Options of {@link loadJiebaSegmenter}. */
export interface JiebaOptions {
  /** Let jieba's HMM find words missing from its dictionary. @default true */
  hmm?: boolean;
  /**
   * The jieba-wasm module, for browser bundles: `await import('jieba-wasm')`
   * in your code lets your bundler resolve it (its web build then fetches
   * `jieba_rs_wasm_bg.wasm` from beside the bundle, so serve that file there).
   * @default imported by name at run time (Node)
   */
  module?: JiebaModule | Promise<JiebaModule>;
}

/**
 * Loads jieba-wasm and returns a {@link WordSegmenter} for
 * `createAnalyzer({ cjk: 'dictionary', segmenter })`.
 *
 * @param options - `hmm`, and in a browser bundle the imported `module`
 * @returns the segmenter
 * @throws OptionError when jieba-wasm is not installed or is not jieba-wasm
 * @example
 * ```ts
 * const segmenter = await loadJiebaSegmenter(); // Node
 * segmenter.segment('我来到北京清华大学'); // ['我', '来到', '北京', '清华大学']
 * // in a browser bundle:
 * const inBrowser = await loadJiebaSegmenter({ module: await import('jieba-wasm') });
 * ```
 */
export async function loadJiebaSegmenter(options: JiebaOptions = {}): Promise<WordSegmenter> {
  const hmm = options.hmm ?? true;
  let module: JiebaModule;
  try {
    const specifier = 'jieba-wasm';
    module = await (options.module ??
      (import(/* @vite-ignore */ specifier) as Promise<JiebaModule>));
  } catch (cause) {
    throw new OptionError(
      'loadJiebaSegmenter',
      `cannot import jieba-wasm (${String(cause)}); install it with npm install jieba-wasm`,
      'jieba-wasm',
    );
  }
  if (typeof module.default === 'function') {
    // the web build: its default export fetches and compiles the wasm file, once
    await (module.default as () => Promise<unknown>)();
  }
  // the Node build is CommonJS: its functions may sit on the default export
  const cut = module.cut ?? (module.default as JiebaModule | undefined)?.cut;
  if (typeof cut !== 'function') {
    throw new OptionError('loadJiebaSegmenter', 'jieba-wasm has no cut() export', 'jieba-wasm');
  }
  const segment = cut;
  return { name: 'jieba', segment: (text) => segment(text, hmm) };
}
