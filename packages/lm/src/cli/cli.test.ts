/**
 * The x-lm command line as a user runs it (the bin, in a child process):
 * train a tiny preset, generate from the folder, evaluate it; `--help` on
 * each command; bad arguments end in one line and exit code 1, no stack.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { program } from './main.js';

const bin = new URL('../../bin/x-lm.mjs', import.meta.url).pathname;
const data = new URL('../../test/fixtures/tinyshakespeare-32k.txt', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'x-lm-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const lastJson = (text: string) => JSON.parse(text.trim().split('\n').pop()!);

describe('x-lm', () => {
  it('train, generate and eval a tiny model end to end (the bin, in child processes)', {
    timeout: 240_000,
  }, () => {
    const train = run('train', '--data', data, '--out', out, '--preset', 'char-tiny', '--quiet');
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const log = lastJson(train.stdout);
    expect(log.steps).toBe(60);
    expect(log.valLoss).toBeLessThan(Math.log(62) - 1);
    for (const file of [
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'loss.svg',
      'train-log.json',
    ])
      expect(readFileSync(join(out, file)).length).toBeGreaterThan(0);

    const generated = run(
      'generate',
      '--model',
      out,
      'ROMEO:',
      '--max-tokens',
      '20',
      '--seed',
      '3',
      '--json',
    );
    expect(generated.code).toBe(0);
    const g = lastJson(generated.stdout);
    expect(g.stats.generatedTokens).toBe(20);
    expect(g.text).toHaveLength(20);
    expect(
      lastJson(
        run('generate', '--model', out, 'ROMEO:', '--max-tokens', '20', '--seed', '3', '--json')
          .stdout,
      ).text,
    ).toBe(g.text);

    const evaluated = lastJson(run('eval', '--model', out, '--data', data).stdout);
    expect(evaluated.loss).toBeCloseTo(log.valLoss, 3);
    expect(evaluated.perplexity).toBeCloseTo(Math.exp(evaluated.loss), 2);

    const gguf = run(
      'export',
      '--model',
      out,
      '--out',
      join(out, 'model.q8_0.gguf'),
      '--type',
      'q8_0',
    );
    expect(gguf.stderr).toBe('');
    const exported = lastJson(gguf.stdout);
    expect(exported).toMatchObject({ format: 'gguf', architecture: 'gpt2', type: 'q8_0' });
    expect(readFileSync(join(out, 'model.q8_0.gguf')).length).toBe(exported.bytes);
    expect(readFileSync(join(out, 'model.q8_0.gguf')).subarray(0, 4).toString()).toBe('GGUF');
    const onnx = lastJson(run('export', '--model', out, '--out', join(out, 'model.onnx')).stdout);
    expect(onnx.format).toBe('onnx');
    expect(onnx.inputs.slice(0, 3)).toEqual(['input_ids', 'attention_mask', 'position_ids']);
    expect(readFileSync(join(out, 'model.onnx')).length).toBe(onnx.bytes);
  });

  it('--help on every command', async () => {
    for (const command of [[], ['train'], ['generate'], ['eval'], ['export']]) {
      const { code, stdout } = await inProcess(...command, '--help');
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: x-lm');
    }
  });

  it('bad arguments end in one clear line and exit code 1', async () => {
    const cases: [string[], string][] = [
      [
        ['train', '--data', data, '--out', out, '--steps', 'many'],
        "option '--steps <n>' argument 'many' is invalid",
      ],
      [
        ['train', '--data', data, '--out', out, '--preset', 'huge'],
        "argument 'huge' is invalid. Allowed choices are char-tiny",
      ],
      [['train', '--data', join(out, 'missing.txt'), '--out', out], 'ENOENT'],
      [['generate', '--model', join(out, 'nothing'), 'hi'], 'config.json does not exist'],
      [['eval', '--model', out], "required option '--data <file>' not specified"],
      [
        ['export', '--model', out, '--out', join(out, 'x.gguf'), '--type', 'q4_0'],
        "argument 'q4_0' is invalid. Allowed choices are f32, f16, q8_0",
      ],
      [
        ['export', '--model', out, '--out', join(out, 'x.onnx'), '--type', 'q8_0'],
        'the ONNX export writes f32 weights only',
      ],
    ];
    for (const [args, message] of cases) {
      const result = await inProcess(...args);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')[0]).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

/** Runs the program in this process, capturing its output and exit code. */
async function inProcess(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const cli = program();
  const capture = (command: typeof cli) => {
    command.exitOverride().configureOutput({
      writeOut: (text) => {
        stdout += text;
      },
      writeErr: (text) => {
        stderr += text;
      },
      outputError: (text, write) => write(`x-lm: ${text.replace(/^error: /, '')}`),
    });
    for (const sub of command.commands) capture(sub);
  };
  capture(cli);
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((text: string) => {
    stderr += text;
    return true;
  }) as typeof process.stderr.write;
  const previous = process.exitCode;
  process.exitCode = 0;
  let code = 0;
  try {
    await cli.parseAsync(['node', 'x-lm', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = (error as { exitCode?: number }).exitCode ?? 1;
  } finally {
    process.stderr.write = write;
    process.exitCode = previous;
  }
  return { code, stdout, stderr };
}
