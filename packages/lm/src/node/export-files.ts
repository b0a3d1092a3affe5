/**
 * Model exports written to disk (Node.js): GGUF for llama.cpp and ONNX for
 * onnxruntime, from a checkpoint folder or a model in memory, written
 * atomically.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '@x/tensor/node';
import { ExportError } from '../errors.js';
import { type GgufFile, type GgufOptions, toGguf } from '../export/gguf.js';
import { type OnnxFile, toOnnx } from '../export/onnx.js';
import { LanguageModel } from '../models/language-model.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { loadModel } from './model-files.js';
import { loadTokenizer } from './tokenizer-files.js';

/** Options of `exportGguf`: those of `toGguf`, the tokenizer optional when a folder is given. */
export type ExportGgufOptions = Omit<GgufOptions, 'tokenizer'> & {
  /** The tokenizer; read from the folder when `source` is one. */
  tokenizer?: Tokenizer;
};

/**
 * Writes a model as a GGUF file for llama.cpp / ollama / node-llama-cpp.
 * @param source - a checkpoint folder (config.json, model.safetensors, tokenizer files) or a model
 * @param path - the `.gguf` file to write (its folder is created)
 * @param options - file type (`f32`, `f16`, `q8_0`), tokenizer (required with a model), name
 * @returns the summary of the file written (`parts` are dropped once on disk)
 * @throws ExportError for a model or tokenizer GGUF cannot express, or a model without a tokenizer
 * @throws ConfigError / CheckpointError / TokenizerError when the folder cannot be loaded
 * @example
 * import { exportGguf } from '@x/lm/node';
 * await exportGguf('./models/char-shakespeare', './char.q8_0.gguf', { type: 'q8_0' });
 * // then: llama-cli -m ./char.q8_0.gguf -p "ROMEO:"
 */
export async function exportGguf(
  source: string | LanguageModel,
  path: string,
  options: ExportGgufOptions = {},
): Promise<Omit<GgufFile, 'parts'>> {
  let model: LanguageModel;
  let tokenizer = options.tokenizer;
  if (typeof source === 'string') {
    model = await loadModel(source);
    tokenizer ??= await loadTokenizer(source);
  } else if (source instanceof LanguageModel) model = source;
  else
    throw new ExportError('exportGguf', 'source must be a checkpoint folder or a model', {
      format: 'gguf',
      subject: 'source',
    });
  if (!tokenizer)
    throw new ExportError(
      'exportGguf',
      'a model in memory needs options.tokenizer (llama.cpp needs a vocabulary)',
      { format: 'gguf', subject: 'tokenizer' },
    );
  const { parts, ...summary } = toGguf(model, { ...options, tokenizer });
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, parts);
  return summary;
}

/**
 * Writes a GPT-2 or Llama-family model as an ONNX graph with a KV cache
 * (`input_ids`, `attention_mask`, `position_ids`, `past_key_values.*` ->
 * `logits`, `present.*`), for onnxruntime-node / onnxruntime-web.
 * @param source - a checkpoint folder or a model
 * @param path - the `.onnx` file to write (its folder is created)
 * @returns the input / output names and cache sizes (the bytes are dropped once on disk)
 * @throws ExportError for a Mamba model
 * @throws ConfigError / CheckpointError when the folder cannot be loaded
 * @example
 * import { exportOnnx } from '@x/lm/node';
 * await exportOnnx('./models/char-shakespeare', './char.onnx');
 */
export async function exportOnnx(
  source: string | LanguageModel,
  path: string,
): Promise<Omit<OnnxFile, 'bytes'> & { byteLength: number }> {
  const model = typeof source === 'string' ? await loadModel(source) : source;
  if (!(model instanceof LanguageModel))
    throw new ExportError('exportOnnx', 'source must be a checkpoint folder or a model', {
      format: 'onnx',
      subject: 'source',
    });
  const { bytes, ...summary } = toOnnx(model);
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, bytes);
  return { ...summary, byteLength: bytes.length };
}
