import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenizerError } from '../errors.js';
import { gpt2FilesFromTiktoken } from '../tokenizers/__fixtures__/gpt2-from-tiktoken.js';
import { llamaTokenizerFiles } from '../tokenizers/__fixtures__/llama-tokenizer-json.js';
import { shakespeareSlice } from '../tokenizers/__fixtures__/varied-text.js';
import { trainBpe } from '../tokenizers/bpe-trainer.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { HfTokenizer } from '../tokenizers/hf-tokenizer.js';
import { loadTokenizer, saveTokenizer } from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'x-lm-tokenizers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('@x/lm/node tokenizer files', () => {
  it('saves a character-level tokenizer and loads it back from the folder', async () => {
    const tokenizer = CharTokenizer.fromCorpus(shakespeareSlice(), {
      specialTokens: { eos: '<|endoftext|>' },
    });
    const folder = join(dir, 'char');
    await saveTokenizer(tokenizer, folder);
    const config = JSON.parse(await readFile(join(folder, 'tokenizer_config.json'), 'utf8'));
    expect(config).toMatchObject({
      eos_token: '<|endoftext|>',
      clean_up_tokenization_spaces: false,
    });
    const again = await loadTokenizer(folder);
    expect(again).toBeInstanceOf(CharTokenizer);
    expect(again.special).toEqual(tokenizer.special);
    const sample = shakespeareSlice().slice(0, 2000);
    expect(again.encode(sample)).toEqual(tokenizer.encode(sample));
  });

  it('saves a trained BPE tokenizer and loads it back, also from the tokenizer.json path', async () => {
    const { tokenizer } = trainBpe(shakespeareSlice(), {
      vocabSize: 600,
      specialTokens: ['<|endoftext|>'],
      roles: { bos: '<|endoftext|>', eos: '<|endoftext|>' },
    });
    const folder = join(dir, 'bpe');
    await saveTokenizer(tokenizer, folder);
    for (const path of [folder, join(folder, 'tokenizer.json')]) {
      const again = await loadTokenizer(path);
      expect(again).toBeInstanceOf(HfTokenizer);
      expect(again.special).toEqual({ bos: 0, eos: 0 });
      expect(again.encode(shakespeareSlice())).toEqual(tokenizer.encode(shakespeareSlice()));
    }
  });

  it('detects GPT-2 files and a Llama tokenizer.json + tokenizer_config.json in checkpoint folders', async () => {
    const gpt2 = join(dir, 'gpt2');
    const files = gpt2FilesFromTiktoken();
    await saveFiles(gpt2, {
      'vocab.json': files.encoderJson,
      'merges.txt': files.vocabBpe,
      'config.json': '{}',
    });
    const fromGpt2 = await loadTokenizer(gpt2);
    expect(fromGpt2.kind).toBe('gpt2');
    expect(fromGpt2.encode('Hello world')).toEqual([15496, 995]);

    const llama = join(dir, 'llama');
    const { json, config } = llamaTokenizerFiles();
    await saveFiles(llama, {
      'tokenizer.json': JSON.stringify(json),
      'tokenizer_config.json': JSON.stringify(config),
    });
    const fromLlama = await loadTokenizer(llama);
    expect(fromLlama.addBosToken).toBe(true);
    expect(fromLlama.encode('🦙')).toEqual([29871, 243, 162, 169, 156]);
  });

  it('names a missing folder and a folder without tokenizer files', async () => {
    await expect(loadTokenizer(join(dir, 'nope'))).rejects.toThrow(TokenizerError);
    await expect(loadTokenizer(join(dir, 'nope'))).rejects.toThrow(/cannot read .*nope/);
    const empty = join(dir, 'empty');
    await saveFiles(empty, { 'config.json': '{}' });
    await expect(loadTokenizer(empty)).rejects.toThrow(/no tokenizer files: .*got none/);
  });
});

describe('the main entry', () => {
  it('bundles for browsers: no node: module in its import graph', async () => {
    const entry = fileURLToPath(new URL('../index.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      conditions: ['@x/source'],
      logLevel: 'silent',
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
    expect(inputs.some((path) => path.includes('tokenizers/hf-tokenizer.ts'))).toBe(true);
  });
});

async function saveFiles(folder: string, files: Record<string, string>): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(folder, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
}
