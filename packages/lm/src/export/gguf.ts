/**
 * `toGguf`: a model of this package (trained here or loaded from a Hugging
 * Face folder) and its tokenizer as a GGUF v3 file for llama.cpp (and
 * what runs on it: ollama, LM Studio, node-llama-cpp), in memory and
 * browser-safe. `@x/lm/node`'s `exportGguf` writes it to disk.
 *
 * File types, as llama.cpp's converter chooses per tensor:
 *   f32  every tensor F32                          (general.file_type 0)
 *   f16  matrices F16, vectors F32                 (general.file_type 1)
 *   q8_0 matrices Q8_0, vectors F32                (general.file_type 7)
 * Tensors the converter keeps in float32 (position embeddings, Mamba's
 * conv / x / dt / A / D) stay F32; a Q8_0 matrix whose rows are not a
 * multiple of 32 wide falls back to F16, as the converter does, and is
 * listed in `fallbacks`.
 */
import { ExportError } from '../errors.js';
import type { LanguageModel } from '../models/language-model.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { encodeF16, encodeF32, Q8_0_BLOCK, quantizeQ8_0 } from './gguf-encode.js';
import { ggufModelParts } from './gguf-model.js';
import { ggufTokenizerMetadata } from './gguf-tokenizer.js';
import { type GgmlTypeName, type GgufTensor, type GgufValue, ggufBytes } from './gguf-writer.js';

/** The file types `toGguf` writes. */
export const GGUF_FILE_TYPES = ['f32', 'f16', 'q8_0'] as const;
/** One of `GGUF_FILE_TYPES`. */
export type GgufFileType = (typeof GGUF_FILE_TYPES)[number];

const FILE_TYPE_ID: Record<GgufFileType, number> = { f32: 0, f16: 1, q8_0: 7 };
const MATRIX_TYPE: Record<GgufFileType, GgmlTypeName> = { f32: 'F32', f16: 'F16', q8_0: 'Q8_0' };

/** Options of `toGguf`. */
export interface GgufOptions {
  /** The model's tokenizer (a `CharTokenizer` or a byte-level BPE tokenizer). */
  tokenizer: Tokenizer;
  /** Storage of the weight matrices. @default 'f32' */
  type?: GgufFileType;
  /** `general.name`. @default the architecture */
  name?: string;
  /** More metadata, written after the model's own keys (e.g. `general.license`). */
  metadata?: Record<string, GgufValue>;
}

/** A GGUF file in memory. */
export interface GgufFile {
  /** The file's bytes in parts (write them in order, or `new Blob(parts)`). */
  readonly parts: Uint8Array[];
  /** Total bytes. */
  readonly byteLength: number;
  /** `general.architecture`. */
  readonly architecture: string;
  /** Each tensor's name, ggml type and dimensions (innermost first). */
  readonly tensors: readonly { name: string; type: GgmlTypeName; ne: readonly number[] }[];
  /** Q8_0 matrices written as F16 because their rows are not a multiple of 32 wide. */
  readonly fallbacks: readonly string[];
}

/**
 * The model and tokenizer as a GGUF v3 file.
 * @param model - any model of this package (GPT-2, Llama family, Mamba)
 * @param options - tokenizer, file type, name
 * @returns the file's parts and a summary of its tensors
 * @throws ExportError for a tokenizer or layer llama.cpp cannot express, or an unknown `type`
 * @example
 * const file = toGguf(model, { tokenizer, type: 'q8_0' });
 * new Blob(file.parts) // load it in llama.cpp
 */
export function toGguf(model: LanguageModel, options: GgufOptions): GgufFile {
  const type = options.type ?? 'f32';
  if (!GGUF_FILE_TYPES.includes(type))
    throw new ExportError(
      'toGguf',
      `type must be one of ${GGUF_FILE_TYPES.join(', ')}, got ${JSON.stringify(type)}`,
      { format: 'gguf', subject: 'type' },
    );
  if (!options.tokenizer)
    throw new ExportError('toGguf', 'a tokenizer is required (llama.cpp needs a vocabulary)', {
      format: 'gguf',
      subject: 'tokenizer',
    });
  const parts = ggufModelParts(model);
  const config = model.config;
  const tokenizer = ggufTokenizerMetadata(options.tokenizer, config.vocabSize, {
    bos: config.bosTokenId,
    eos: config.eosTokenIds[0] ?? null,
  });
  const metadata: Record<string, GgufValue> = {
    'general.architecture': { type: 'string', value: parts.architecture },
    'general.name': { type: 'string', value: options.name ?? parts.architecture },
    'general.file_type': { type: 'uint32', value: FILE_TYPE_ID[type] },
    'general.quantization_version': { type: 'uint32', value: 2 },
    ...parts.metadata,
    ...tokenizer,
    ...options.metadata,
  };
  const fallbacks: string[] = [];
  const tensors: GgufTensor[] = parts.tensors.map((t) => {
    let ggml: GgmlTypeName = t.keepF32 ? 'F32' : MATRIX_TYPE[type];
    const ne = [...t.shape].reverse();
    if (ggml === 'Q8_0' && ne[0]! % Q8_0_BLOCK !== 0) {
      ggml = 'F16';
      fallbacks.push(t.name);
    }
    const data =
      ggml === 'F32'
        ? encodeF32(t.values)
        : ggml === 'F16'
          ? encodeF16(t.values)
          : quantizeQ8_0(t.values);
    return { name: t.name, ne, type: ggml, data };
  });
  const bytes = ggufBytes(metadata, tensors);
  return {
    parts: bytes,
    byteLength: bytes.reduce((n, p) => n + p.length, 0),
    architecture: parts.architecture,
    tensors: tensors.map(({ name, type: t, ne }) => ({ name, type: t, ne })),
    fallbacks,
  };
}
