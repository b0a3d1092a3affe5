/**
 * The x-medusa command line in process: help, one-line errors, and a tiny
 * end-to-end run (train heads for a saved model, then generate with them:
 * the greedy text equals @x/lm's `generate`), plus the bin once as a child
 * process.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@x/lm';
import { saveModel, saveTokenizer } from '@x/lm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { shakespeare, tinyModel, tokenizer } from '../../test/models.js';
import { program } from './main.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  };
  const cli = program(io);
  cli.exitOverride();
  for (const command of cli.commands) command.exitOverride();
  const before = process.exitCode;
  process.exitCode = 0;
  let code = 0;
  try {
    await cli.parseAsync(['node', 'x-medusa', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = (error as { exitCode?: number }).exitCode ?? 1;
  }
  process.exitCode = before;
  return { stdout, stderr, code };
}

const dir = mkdtempSync(join(tmpdir(), 'x-medusa-cli-'));
const modelDir = join(dir, 'model');
const headsDir = join(dir, 'heads');
const corpus = join(dir, 'corpus.txt');
let model: Awaited<ReturnType<typeof tinyModel>>;
beforeAll(async () => {
  model = await tinyModel(60);
  await saveModel(modelDir, model);
  await saveTokenizer(tokenizer, modelDir);
  writeFileSync(corpus, shakespeare);
}, 120_000);

describe('x-medusa', () => {
  it('prints help for the program and each command', async () => {
    const top = await run(['--help']);
    expect(top.stdout).toContain('train [options]');
    expect(top.stdout).toContain('generate [options] <prompt>');
    const train = await run(['train', '--help']);
    expect(train.stdout).toContain('--share-lm-head');
    const gen = await run(['generate', '--help']);
    expect(gen.stdout).toContain('--posterior-threshold');
    expect(gen.stdout).toContain('--no-ngrams');
  });

  it('ends bad invocations with one clear line and exit code 1', async () => {
    const missing = await run(['train', '--model', modelDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n')[0]).toBe(
      "x-medusa: required option '--out <dir>' not specified",
    );
    const badNumber = await run(['generate', '--model', modelDir, '--max-tokens', 'many', 'x']);
    expect(badNumber.stderr).toContain(
      "option '--max-tokens <n>' argument 'many' is invalid. expected an integer.",
    );
    const noModel = await run(['generate', '--model', join(dir, 'nope'), 'x']);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/^x-medusa: loadModel: .*nope\/config.json does not exist\n$/);
    const badTree = await run(['generate', '--model', modelDir, '--tree', '[[1,', 'x']);
    expect(badTree.stderr).toBe(
      'x-medusa: --tree must be auto, mc_sim_7b_63, cpu_8 or a JSON list of paths such as [[0],[0,0],[1]], got [[1,\n',
    );
    const noHeads = await run(['generate', '--model', modelDir, '--heads', join(dir, 'none'), 'x']);
    expect(noHeads.stderr).toMatch(/^x-medusa: loadHeads: .*none is not a folder\n$/);
    const noData = await run([
      'train',
      '--model',
      modelDir,
      '--out',
      headsDir,
      '--data',
      join(dir, 'no.txt'),
      '--quiet',
    ]);
    expect(noData.stderr).toBe(`x-medusa: cannot read --data ${join(dir, 'no.txt')}: ENOENT\n`);
  });

  it('trains heads, then generates with them exactly what plain greedy decoding gives', async () => {
    const trained = await run([
      'train',
      '--model',
      modelDir,
      '--out',
      headsDir,
      '--data',
      corpus,
      '--heads',
      '2',
      '--sequences',
      '8',
      '--continuation',
      '40',
      '--prompt-length',
      '16',
      '--steps',
      '40',
      '--quiet',
    ]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.stdout).toContain('head  top-1  top-5  reference top-1 (Vicuna-7B)');
    expect(trained.stdout).toMatch(
      /\n1 {5}0\.\d{3} {2}0\.\d{3} {2}0\.56\n2 {5}0\.\d{3} {2}0\.\d{3} {2}0\.32\n/,
    );
    for (const file of [
      'config.json',
      'medusa_lm_head.safetensors',
      'accuracy.json',
      'training.json',
    ])
      expect(existsSync(join(headsDir, file)), file).toBe(true);
    const summary = JSON.parse(readFileSync(join(headsDir, 'training.json'), 'utf8'));
    expect(summary.accuracy.top1).toHaveLength(2);
    const prompt = 'First Citizen:\n';
    const out = await run([
      'generate',
      '--model',
      modelDir,
      '--heads',
      headsDir,
      '--tree',
      'auto',
      '--max-tokens',
      '30',
      '--json',
      prompt,
    ]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const line = JSON.parse(out.stdout);
    const plain = await generate(model, tokenizer, prompt, { maxTokens: 30 });
    expect(line.text).toBe(plain.text);
    expect(line.stats.generatedTokens).toBe(30);
    expect(Array.isArray(line.tree)).toBe(true);
    const streamed = await run([
      'generate',
      '--model',
      modelDir,
      '--heads',
      headsDir,
      '--max-tokens',
      '30',
      prompt,
    ]);
    expect(streamed.stdout).toBe(`${prompt}${plain.text}\n`);
    expect(streamed.stderr).toMatch(
      /^tree: \d+ paths \[.*\].*\ntokens\/step: predicted \d\.\d\d \(heads alone\), measured \d\.\d\d/,
    );
  }, 240_000);

  it('runs as a bin', () => {
    const bin = fileURLToPath(new URL('../../bin/x-medusa.mjs', import.meta.url));
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: x-medusa');
  }, 60_000);
});
