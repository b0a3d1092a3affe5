/**
 * Tokenizer files on disk (Node.js): read a tokenizer from a checkpoint
 * folder, save one atomically.
 */
import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '@x/tensor/node';
import { TokenizerError } from '../errors.js';
import {
  TOKENIZER_FILE_NAMES,
  type TokenizerFiles,
  tokenizerFromFiles,
} from '../tokenizers/load-tokenizer.js';
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { tokenizerConfigJson } from '../tokenizers/tokenizer-config.js';

async function readIfPresent(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TokenizerError('loadTokenizer', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * Reads the tokenizer files of a checkpoint folder (those of `TOKENIZER_FILE_NAMES` that exist).
 * @param dir - the folder, or a `tokenizer.json` path (its folder's config files are read too)
 * @returns file name to bytes
 * @throws TokenizerError when the path does not exist
 */
export async function readTokenizerFiles(dir: string): Promise<TokenizerFiles> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dir);
  } catch (error) {
    throw new TokenizerError('loadTokenizer', `cannot read ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const files: Record<string, Uint8Array> = {};
  if (info.isDirectory()) {
    for (const name of TOKENIZER_FILE_NAMES) {
      const content = await readIfPresent(join(dir, name));
      if (content) files[name] = content;
    }
    return files;
  }
  for (const name of ['tokenizer_config.json', 'special_tokens_map.json']) {
    const content = await readIfPresent(join(dirname(dir), name));
    if (content) files[name] = content;
  }
  files['tokenizer.json'] = await readFile(dir);
  return files;
}

/**
 * The tokenizer of a checkpoint folder (tokenizer.json; else GPT-2's encoder.json / vocab.json +
 * vocab.bpe / merges.txt), or of files given in memory.
 * @param dirOrFiles - a folder, a tokenizer.json path, or file name to content
 * @returns a `CharTokenizer` or an `HfTokenizer`
 * @throws TokenizerError for a missing folder or no tokenizer files in it
 * @throws TokenizerFormatError / UnsupportedTokenizerError for a malformed or unsupported file
 * @example
 * const tokenizer = await loadTokenizer('./checkpoints/gpt2');
 * tokenizer.encode('Hello world') // [15496, 995]
 */
export async function loadTokenizer(dirOrFiles: string | TokenizerFiles): Promise<Tokenizer> {
  const files = typeof dirOrFiles === 'string' ? await readTokenizerFiles(dirOrFiles) : dirOrFiles;
  return tokenizerFromFiles(files);
}

/**
 * Writes `tokenizer.json` and `tokenizer_config.json` into `dir` (created if needed), each atomically.
 * Hugging Face's `tokenizers` / transformers and `loadTokenizer` read them back.
 * @param tokenizer - any tokenizer of this package
 * @param dir - the folder
 * @example await saveTokenizer(CharTokenizer.fromCorpus(text), './out/char-model');
 */
export async function saveTokenizer(tokenizer: Tokenizer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const encode = (value: unknown) =>
    new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'tokenizer.json'), encode(tokenizer.toJSON()));
  await writeFileAtomic(join(dir, 'tokenizer_config.json'), encode(tokenizerConfigJson(tokenizer)));
}
