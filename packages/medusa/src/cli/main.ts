/**
 * The `x-medusa` command line: `train` (heads for a model folder, by
 * self-distillation) and `generate` (a Medusa continuation, streamed), each
 * with `--help`. Built on commander; errors end in one line and exit code 1.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runCommand } from './errors.js';
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
const int = parser(true);
const float = parser(false);
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Where the program writes (tests pass their own). */
export interface ProgramIo {
  stdout: { write: (text: string) => unknown };
  stderr: { write: (text: string) => unknown };
}

/**
 * The program (exported for tests).
 * @param io - output streams
 * @returns a commander program; call `parseAsync(argv)`
 * @example
 * await program().parseAsync(['node', 'x-medusa', 'generate', '--model', 'm', '--heads', 'h', 'ROMEO:']);
 */
export function program(io: ProgramIo = process): Command {
  const cli = new Command('x-medusa')
    .description('Medusa speculative decoding for @x/lm models: train heads, generate faster.')
    .showHelpAfterError('(x-medusa <command> --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`x-medusa: ${text.replace(/^error: /, '')}`),
    });
  cli
    .command('train')
    .description(
      'train Medusa heads for a model folder by self-distillation and write a heads folder',
    )
    .requiredOption(
      '--model <dir>',
      'the base model folder (config.json, model.safetensors, tokenizer)',
    )
    .requiredOption(
      '--out <dir>',
      'heads folder to write: config.json, medusa_lm_head.safetensors, accuracy.json, training.json',
    )
    .option(
      '--data <file>',
      'corpus (UTF-8) whose windows prompt the base model; without it the model writes its own prompts',
    )
    .option('--heads <n>', 'number of heads (head k predicts k + 1 tokens past the next)', int, 4)
    .option('--layers <n>', 'ResBlocks per head', int, 1)
    .option('--share-lm-head', "use the base model's LM head as every head's projection")
    .option('--sequences <n>', 'sequences the base model generates for training', int, 256)
    .option(
      '--held-out <f>',
      'share of the corpus (its end) prompting the held-out sequences',
      float,
      0.1,
    )
    .option('--prompt-length <n>', 'prompt tokens per sequence', int, 32)
    .option(
      '--continuation <n>',
      "tokens the model adds to each prompt (capped by the model's context)",
      int,
      224,
    )
    .option('--temperature <t>', 'temperature of the generated data (0: greedy)', float, 0)
    .option('--steps <n>', 'training steps', int, 600)
    .option('--batch-size <n>', 'positions per training step', int, 256)
    .option('--lr <x>', 'peak learning rate', float, 1e-3)
    .option('--decay <x>', 'loss weight of head k is decay^k', float, 0.8)
    .option('--seed <n>', 'seed of prompts, sampling and batches', int, 0)
    .option('--threads <n>', 'wasm worker threads (default: all cores)', int)
    .option('--quiet', 'no progress output')
    .action((options) => runCommand(() => trainCommand(options, io), io.stderr));
  cli
    .command('generate')
    .description(
      'continue a prompt with Medusa heads and n-gram drafts (streamed), and report the tree and its acceptance',
    )
    .argument('<prompt>', 'text to continue')
    .requiredOption('--model <dir>', 'the base model folder')
    .option('--heads <dir>', 'heads folder from x-medusa train (without it: n-gram drafts only)')
    .option(
      '--tree <tree>',
      'auto (chosen from measured accuracy and pass cost), mc_sim_7b_63, cpu_8, or a JSON list of paths',
    )
    .option('--no-ngrams', 'no prompt-lookup branches')
    .option(
      '--passage <file>',
      'a retrieved passage the continuation may copy from (repeatable)',
      collect,
    )
    .option('--max-tokens <n>', 'tokens to generate', int, 200)
    .option(
      '--temperature <t>',
      '0: greedy (output equals plain greedy decoding); > 0: typical acceptance',
      float,
      0,
    )
    .option('--posterior-threshold <x>', 'epsilon of typical acceptance', float, 0.09)
    .option('--posterior-alpha <x>', 'delta of typical acceptance', float, 0.3)
    .option('--seed <n>', 'seed of the sampling', int, 0)
    .option('--stop <text>', 'stop string (repeatable)', collect)
    .option('--threads <n>', 'wasm worker threads (default: all cores)', int)
    .option('--json', 'print one JSON line (text, statistics, tree) instead of streaming')
    .action((prompt, options) => runCommand(() => generateCommand(prompt, options, io), io.stderr));
  return cli;
}
