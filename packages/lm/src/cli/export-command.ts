/**
 * `x-lm export`: a checkpoint folder as a GGUF file for llama.cpp /
 * ollama (`--type f32 | f16 | q8_0`), or as an ONNX graph with a KV cache
 * for onnxruntime (`.onnx`); the format follows the extension of `--out`
 * unless `--format` says it.
 */
import { extname } from 'node:path';
import { GGUF_FILE_TYPES, type GgufFileType } from '../export/gguf.js';
import { exportGguf, exportOnnx } from '../node/export-files.js';
import { LmCliError } from './errors.js';

/** Options of `x-lm export`. */
export interface ExportCommandOptions {
  model: string;
  out: string;
  type?: string;
  format?: string;
}

/** Runs `x-lm export`; prints one JSON line describing the file. */
export async function exportCommand(options: ExportCommandOptions): Promise<void> {
  const format =
    options.format ?? (extname(options.out).toLowerCase() === '.onnx' ? 'onnx' : 'gguf');
  const started = performance.now();
  if (format === 'onnx') {
    if (options.type !== undefined && options.type !== 'f32')
      throw new LmCliError(`--type ${options.type}: the ONNX export writes f32 weights only`);
    const summary = await exportOnnx(options.model, options.out);
    console.log(
      JSON.stringify({
        command: 'x-lm export',
        format,
        out: options.out,
        bytes: summary.byteLength,
        inputs: summary.inputs,
        outputs: summary.outputs,
        seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
      }),
    );
    return;
  }
  if (format !== 'gguf') throw new LmCliError(`--format must be gguf or onnx, got "${format}"`);
  const type = (options.type ?? 'f32') as GgufFileType;
  if (!GGUF_FILE_TYPES.includes(type))
    throw new LmCliError(`--type must be one of ${GGUF_FILE_TYPES.join(', ')}, got "${type}"`);
  const summary = await exportGguf(options.model, options.out, { type });
  console.log(
    JSON.stringify({
      command: 'x-lm export',
      format,
      out: options.out,
      architecture: summary.architecture,
      type,
      bytes: summary.byteLength,
      tensors: summary.tensors.length,
      fallbacksToF16: summary.fallbacks,
      seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    }),
  );
}
