/**
 * Text vectors from a loaded @x/lm model: the mean of its last hidden states over the
 * text's tokens (windows of the model's context, averaged), scaled to unit length.
 * No download and no second model: the generator's own weights, or any checkpoint
 * folder `loadModel` reads.
 */
import type { LanguageModel, Tokenizer } from '@x/lm';
import { noGrad, tidy } from '@x/tensor';
import { type Embedder, normalize } from './embedder.js';

/** Mean-pooled hidden states of a language model. */
export class ModelEmbedder implements Embedder {
  readonly dims: number;

  /**
   * @param model - the model
   * @param tokenizer - its tokenizer
   * @param name - shown in stats
   */
  constructor(
    readonly model: LanguageModel,
    readonly tokenizer: Tokenizer,
    readonly name: string,
  ) {
    this.dims = model.config.hiddenSize;
  }

  /**
   * @param text - any text
   * @returns its unit vector (zeros when it encodes to no token)
   * @example
   * new ModelEmbedder(model, tokenizer, 'bundled').embed('To be, or not to be').length; // 256
   */
  embed(text: string): Float32Array {
    const ids = this.tokenizer.encode(text);
    const sum = new Float32Array(this.dims);
    const window =
      this.model.config.architecture === 'mamba' ? 1024 : this.model.config.maxPositions;
    for (let start = 0; start < ids.length; start += window) {
      const chunk = ids.slice(start, start + window);
      const pooled = noGrad(() =>
        tidy(() => this.model.forward([chunk]).hidden.sum(1).reshape([this.dims]).toTypedArray()),
      );
      for (let i = 0; i < this.dims; i++) sum[i]! += Number(pooled[i]);
    }
    return normalize(sum);
  }

  /**
   * @param texts - the texts
   * @param onProgress - called every 64 texts and at the end
   * @returns one unit vector per text
   */
  embedAll(
    texts: readonly string[],
    onProgress?: (done: number, total: number) => void,
  ): Float32Array[] {
    return texts.map((text, i) => {
      const v = this.embed(text);
      if ((i + 1) % 64 === 0 || i + 1 === texts.length) onProgress?.(i + 1, texts.length);
      return v;
    });
  }
}
