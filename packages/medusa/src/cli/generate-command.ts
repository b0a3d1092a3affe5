/**
 * `x-medusa generate`: streams a Medusa continuation of a prompt to stdout,
 * and to stderr the tree used (chosen or given), its predicted and measured
 * tokens per step, and the timings.
 */
import { readFile } from 'node:fs/promises';
import { loadModel, loadTokenizer } from '@x/lm/node';
import { setWasmThreads } from '@x/tensor';
import { streamMedusa } from '../decode/generate-medusa.js';
import type { MedusaHeads } from '../heads/medusa-heads.js';
import { loadHeads } from '../node/heads-files.js';
import { expectedTokensPerStep } from '../tree/auto-tree.js';
import { NAMED_CHOICES } from '../tree/medusa-choices.js';
import { MedusaCliError } from './errors.js';

/** Options of `x-medusa generate`. */
export interface GenerateCommandOptions {
  model: string;
  heads?: string;
  tree?: string;
  ngrams?: boolean;
  passage?: string[];
  maxTokens?: number;
  temperature?: number;
  seed?: number;
  stop?: string[];
  posteriorThreshold?: number;
  posteriorAlpha?: number;
  threads?: number;
  json?: boolean;
}

function parseTree(value: string | undefined): 'auto' | readonly (readonly number[])[] | undefined {
  if (value === undefined || value === 'auto') return value;
  if (value in NAMED_CHOICES) return NAMED_CHOICES[value]!;
  try {
    const paths = JSON.parse(value);
    if (Array.isArray(paths)) return paths;
  } catch {}
  throw new MedusaCliError(
    `--tree must be auto, ${Object.keys(NAMED_CHOICES).join(', ')} or a JSON list of paths such as [[0],[0,0],[1]], got ${value}`,
  );
}

/**
 * Runs `x-medusa generate`.
 * @param prompt - the text to continue
 * @param options - the parsed options
 * @param io - output streams (tests pass their own)
 */
export async function generateCommand(
  prompt: string,
  options: GenerateCommandOptions,
  io: {
    stdout: { write: (t: string) => unknown };
    stderr: { write: (t: string) => unknown };
  } = process,
): Promise<void> {
  if (options.threads !== undefined) setWasmThreads(options.threads);
  const tree = parseTree(options.tree);
  const model = await loadModel(options.model);
  const tokenizer = await loadTokenizer(options.model);
  const heads: MedusaHeads | null = options.heads ? await loadHeads(options.heads, model) : null;
  const passages: string[] = [];
  for (const file of options.passage ?? []) {
    try {
      passages.push(await readFile(file, 'utf8'));
    } catch (error) {
      throw new MedusaCliError(
        `cannot read --passage ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const stream = streamMedusa(model, heads, tokenizer, prompt, {
    tree,
    ngrams: options.ngrams === false ? false : {},
    passages,
    maxTokens: options.maxTokens ?? 200,
    temperature: options.temperature ?? 0,
    seed: options.seed ?? 0,
    stop: options.stop ?? [],
    posteriorThreshold: options.posteriorThreshold,
    posteriorAlpha: options.posteriorAlpha,
    signal: controller.signal,
  });
  if (!options.json) io.stdout.write(prompt);
  let step = await stream.next();
  while (!step.done) {
    if (!options.json) io.stdout.write(step.value.text);
    step = await stream.next();
  }
  const { text, finishReason, stats, tree: used, treeChoice } = step.value;
  const predicted = treeChoice
    ? treeChoice.expectedTokensPerStep
    : heads?.accuracy && used
      ? expectedTokensPerStep(heads.accuracy, used)
      : null;
  const treeLine = used
    ? `tree: ${used.size - 1} paths ${JSON.stringify(used.choices)}${treeChoice ? ` (chosen for this machine: expected ${treeChoice.expectedSpeedup.toFixed(2)}x over plain decoding)` : ''}`
    : 'tree: none (n-grams only)';
  if (options.json)
    io.stdout.write(
      `${JSON.stringify({ prompt, text, finishReason, stats, tree: used?.choices ?? null, predictedTokensPerStep: predicted })}\n`,
    );
  else {
    io.stdout.write('\n');
    io.stderr.write(
      `${treeLine}\ntokens/step: predicted ${predicted === null ? '-' : predicted.toFixed(2)} (heads alone), measured ${stats.tokensPerStep.toFixed(2)} (steps keeping drafts: ${stats.headSteps} from the heads, ${stats.ngramSteps} from n-grams)\n[${stats.generatedTokens} tokens in ${stats.steps} steps, ${finishReason}; decode ${stats.decodeTokensPerSecond.toFixed(1)} tok/s; heads ${stats.headsMs.toFixed(0)} ms, verification ${stats.verifyMs.toFixed(0)} ms, bookkeeping ${stats.bookkeepingMs.toFixed(0)} ms]\n`,
    );
  }
}
