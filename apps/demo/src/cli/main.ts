/** The `x-demo` command line (commander): one program, a command per job. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SEARCH_MODES } from '../pipeline/types.js';
import { LIMITS } from '../pipeline/validate.js';
import { askCommand, indexCommand, searchCommand, serveCommand, tourCommand } from './commands.js';
import { runAction } from './errors.js';
import { withCommonOptions } from './open-from-options.js';

function integer(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(
        `${name} must be an integer from ${min} to ${max}, got ${value}`,
      );
    return n;
  };
}

function decimal(name: string, min: number, max: number) {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !(n >= min && n <= max))
      throw new InvalidArgumentError(
        `${name} must be a number from ${min} to ${max}, got ${value}`,
      );
    return n;
  };
}

const mode = () => new Option('--mode <mode>', 'one list only').choices(SEARCH_MODES as string[]);
const fusion = () =>
  new Option('--fusion <method>', 'how the two recall lists are fused')
    .choices(['rrf', 'weighted'])
    .default('rrf');

/**
 * The program.
 * @returns a commander program; `parseAsync(process.argv)` runs it
 */
export function program(): Command {
  const cli = new Command('x-demo')
    .description(
      'Search plus generation: BM25 and LSA-vector recall, fusion, a learned ranker, then a continuation grounded in what was found (Medusa decoding).',
    )
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride((error) => {
      throw error;
    });
  withCommonOptions(cli)
    .option('--query <text>', "the tour's query")
    .action((options) => runAction(() => tourCommand(options)));
  withCommonOptions(
    cli
      .command('index')
      .description('read a corpus and build (or reuse) its BM25 and vector indexes')
      .argument('[dir]', 'a folder of .txt / .md / .jsonl (default: the embedded corpus)'),
  ).action((dir, options) => runAction(() => indexCommand(dir, options)));
  withCommonOptions(
    cli
      .command('search')
      .description('the BM25, vector, fused and ranked lists side by side, with snippets')
      .argument('<query>', 'the query (phrases, AND / OR / NOT, field:, prefix*, fuzzy~)')
      .option('-k <n>', 'hits per list', integer('k', ...LIMITS.k), 10)
      .addOption(mode())
      .addOption(fusion())
      .option('--json', 'print the result as one JSON line'),
  ).action((query, options) => runAction(() => searchCommand(query, options)));
  withCommonOptions(
    cli
      .command('ask')
      .description(
        'retrieval, then a continuation grounded in the top passages, streamed, with statistics',
      )
      .argument('<query>', 'the query')
      .option(
        '-k <n>',
        'passages in the prompt and the n-gram branches',
        integer('k', ...LIMITS.askK),
        3,
      )
      .addOption(mode())
      .addOption(fusion())
      .option(
        '--max-tokens <n>',
        'tokens to generate',
        integer('max-tokens', ...LIMITS.maxTokens),
        200,
      )
      .option('--temperature <t>', '0 is greedy', decimal('temperature', ...LIMITS.temperature), 0)
      .option('--seed <n>', 'seed of the draws', integer('seed', ...LIMITS.seed), 0)
      .option('--plain', 'plain decoding (no Medusa), for comparison')
      .option('--json', 'print each event as one JSON line'),
  ).action((query, options) => runAction(() => askCommand(query, options)));
  withCommonOptions(
    cli
      .command('serve')
      .description('the HTTP API and the web page')
      .option('--port <n>', 'port (0: a free one)', integer('port', 0, 65535), 8080)
      .option('--host <host>', 'interface to listen on', '127.0.0.1')
      .option('--concurrency <n>', 'generations at once', integer('concurrency', 1, 64), 2)
      .option(
        '--queue <n>',
        'generations waiting beyond that (then 503)',
        integer('queue', 0, 1024),
        8,
      ),
  ).action((options) => runAction(() => serveCommand(options)));
  return cli;
}
