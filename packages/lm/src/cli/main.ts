/**
 * The `x-lm` command line: `train`, `generate`, `eval`, `export`, each with `--help`.
 * Built on commander; errors end in one line and exit code 1.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { PRESETS } from '../train/presets.js';
import { runCommand } from './errors.js';
import { evalCommand } from './eval-command.js';
import { exportCommand } from './export-command.js';
import { generateCommand } from './generate-command.js';
import { trainCommand } from './train-command.js';

function parser(integer: boolean) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isSafeInteger(n)))
      throw new InvalidArgumentError(integer ? 'expected an integer.' : 'expected a number.');
    return n;
  };
}
const int = (_name: string) => parser(true);
const float = (_name: string) => parser(false);

/**
 * The program (exported for tests).
 * @returns a commander program; call `parseAsync(argv)`
 */
export function program(): Command {
  const cli = new Command('x-lm')
    .description('Train, sample and evaluate language models (@x/lm).')
    .showHelpAfterError()
    .configureOutput({
      outputError: (text, write) => write(`x-lm: ${text.replace(/^error: /, '')}`),
    });
  cli
    .command('train')
    .description('train a character-level GPT on a text file and write a checkpoint folder')
    .requiredOption(
      '--data <file>',
      'training text (UTF-8); the last --val-fraction is the validation split',
    )
    .requiredOption(
      '--out <dir>',
      'output folder: config.json, model.safetensors, tokenizer.json, loss.svg, checkpoint/',
    )
    .addOption(
      new Option('--preset <name>', 'model and recipe')
        .choices(Object.keys(PRESETS))
        .default('char-small'),
    )
    .option('--steps <n>', "optimizer steps (default: the preset's)", int('--steps'))
    .option(
      '--val-fraction <f>',
      'share of the text held out for validation',
      float('--val-fraction'),
      0.1,
    )
    .addOption(
      new Option('--precision <p>', 'mixed precision')
        .choices(['float32', 'float16', 'bfloat16'])
        .default('float32'),
    )
    .addOption(
      new Option('--save-dtype <d>', 'dtype of the saved weights')
        .choices(['float32', 'float16', 'bfloat16'])
        .default('float32'),
    )
    .option('--seed <n>', 'seed of the initial weights and the batches', int('--seed'), 1337)
    .option('--threads <n>', 'wasm worker threads (default: all cores)', int('--threads'))
    .option('--resume', 'continue from <out>/checkpoint exactly where it stopped')
    .option('--quiet', 'no progress bar')
    .action((options) => runCommand('x-lm', () => trainCommand(options)));
  cli
    .command('generate')
    .description('continue a prompt with a checkpoint folder (streamed)')
    .argument('<prompt>', 'text to continue')
    .requiredOption(
      '--model <dir>',
      'checkpoint folder (config.json, model.safetensors, tokenizer files)',
    )
    .option('--max-tokens <n>', 'tokens to generate', int('--max-tokens'), 200)
    .option('--temperature <t>', 'sampling temperature; 0 = greedy', float('--temperature'), 0.8)
    .option('--top-k <k>', 'keep the k most likely tokens (0 = all)', int('--top-k'), 0)
    .option('--top-p <p>', 'nucleus sampling mass (1 = off)', float('--top-p'), 1)
    .option('--min-p <p>', 'drop tokens below p x the best one (0 = off)', float('--min-p'), 0)
    .option(
      '--repetition-penalty <r>',
      'CTRL repetition penalty (1 = off)',
      float('--repetition-penalty'),
      1,
    )
    .option('--seed <n>', 'seed of the draws', int('--seed'), 0)
    .option('--stop <text...>', 'stop strings')
    .addOption(
      new Option(
        '--context-overflow <policy>',
        'at the end of the context: slide on from its last half, or stop',
      )
        .choices(['slide', 'stop'])
        .default('slide'),
    )
    .option('--threads <n>', 'wasm worker threads', int('--threads'))
    .option('--json', 'print one JSON line (text, finish reason, timings) instead of streaming')
    .action((prompt, options) => runCommand('x-lm', () => generateCommand(prompt, options)));
  cli
    .command('eval')
    .description('validation loss and perplexity of a checkpoint folder on a text file')
    .requiredOption('--model <dir>', 'checkpoint folder')
    .requiredOption('--data <file>', 'text file')
    .addOption(
      new Option('--split <s>', 'score the last --val-fraction, or all of the text')
        .choices(['val', 'all'])
        .default('val'),
    )
    .option(
      '--val-fraction <f>',
      'share of the text that is the validation split',
      float('--val-fraction'),
      0.1,
    )
    .option(
      '--block-size <n>',
      'tokens per window (default: the model context, at most 256)',
      int('--block-size'),
    )
    .option('--max-tokens <n>', 'score at most this many tokens', int('--max-tokens'))
    .option('--threads <n>', 'wasm worker threads', int('--threads'))
    .action((options) => runCommand('x-lm', () => evalCommand(options)));
  cli
    .command('export')
    .description(
      'write a checkpoint folder as GGUF (llama.cpp, ollama) or as an ONNX graph with a KV cache (onnxruntime)',
    )
    .requiredOption(
      '--model <dir>',
      'checkpoint folder (config.json, model.safetensors, tokenizer files)',
    )
    .requiredOption('--out <file>', 'the file to write: .gguf or .onnx')
    .addOption(
      new Option('--type <t>', 'GGUF weight storage (ONNX: f32 only)')
        .choices(['f32', 'f16', 'q8_0'])
        .default('f32'),
    )
    .addOption(
      new Option('--format <f>', 'output format (default: from the extension of --out)').choices([
        'gguf',
        'onnx',
      ]),
    )
    .action((options) => runCommand('x-lm', () => exportCommand(options)));
  return cli;
}
