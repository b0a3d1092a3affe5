/**
 * What the bench runs on: the model folder (`--model`, default the bundled
 * model of @x/lm), its heads (`--heads`, or trained here by
 * self-distillation), and the corpus (`--data`, default tinyshakespeare
 * beside the checkout, else the 32 KB slice @x/lm's tests ship). `--quick`
 * trains a tiny model and tiny heads in seconds instead (CI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CharTokenizer,
  createModel,
  type LanguageModel,
  parseModelConfig,
  type Tokenizer,
  Trainer,
} from '@x/lm';
import { loadModel, loadTokenizer } from '@x/lm/node';
import type { MedusaHeads } from '../src/index.js';
import { trainMedusa } from '../src/index.js';
import { BUNDLED_HEADS_DIR } from '../src/node/bundled-heads.js';
import { loadHeads } from '../src/node/index.js';

/** The bundled model's folder (packages/lm/models/char-shakespeare). */
export const BUNDLED_MODEL = fileURLToPath(
  new URL('../../lm/models/char-shakespeare/', import.meta.url),
);
/** tinyshakespeare in the first `shared/data` folder above the package, or null. */
function sharedCorpus(): string | null {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    const candidate = join(dir, 'shared/data/text/tinyshakespeare/input.txt');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}
const SLICE = fileURLToPath(
  new URL('../../lm/test/fixtures/tinyshakespeare-32k.txt', import.meta.url),
);

/** Command-line options of the bench. */
export interface BenchArgs {
  model: string | null;
  heads: string | null;
  data: string | null;
  quick: boolean;
  prompts: number | null;
  out: string | null;
  skip124m: boolean;
}

/** Parses `process.argv`-style arguments. */
export function parseArgs(argv: readonly string[]): BenchArgs {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 && i + 1 < argv.length ? argv[i + 1]! : null;
  };
  const prompts = value('--prompts');
  return {
    model: value('--model'),
    // the shipped heads of the bundled model when neither --model nor --heads is given
    heads:
      value('--heads') ??
      (value('--model') === null && !argv.includes('--quick') && existsSync(BUNDLED_HEADS_DIR)
        ? BUNDLED_HEADS_DIR
        : null),
    data: value('--data'),
    quick: argv.includes('--quick'),
    prompts: prompts === null ? null : Number(prompts),
    out: value('--out'),
    skip124m: argv.includes('--skip-124m'),
  };
}

/** The model, tokenizer, corpus and heads of a run. */
export interface BenchSetup {
  readonly model: LanguageModel;
  readonly tokenizer: Tokenizer;
  readonly modelName: string;
  /** The corpus text and where it came from. */
  readonly corpus: string;
  readonly corpusName: string;
  /** nanoGPT's split point (first 90% train, last 10% held out). */
  readonly heldOutFrom: number;
  readonly heads: MedusaHeads;
  /** How the heads came to be: loaded from a folder or trained in this run (with timings). */
  readonly headsOrigin: string;
}

async function quickModel(corpus: string): Promise<{ model: LanguageModel; tokenizer: Tokenizer }> {
  const tokenizer = CharTokenizer.fromCorpus(corpus);
  const ids = Int32Array.from(tokenizer.encode(corpus));
  const model = createModel(
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: tokenizer.vocabSize,
      n_positions: 128,
      n_embd: 48,
      n_layer: 2,
      n_head: 4,
    }),
    { seed: 1 },
  );
  const cut = Math.floor(ids.length * 0.9);
  await new Trainer(
    model,
    { train: ids.subarray(0, cut), val: ids.subarray(cut) },
    {
      steps: 80,
      batchSize: 8,
      blockSize: 64,
      learningRate: 3e-3,
      warmupSteps: 10,
      evalInterval: 0,
      evalBatches: 2,
    },
  ).run();
  return { model: model.eval(), tokenizer };
}

/**
 * Loads or builds everything the bench needs.
 * @param args - the parsed arguments
 * @param log - progress lines
 */
export async function setup(args: BenchArgs, log: (line: string) => void): Promise<BenchSetup> {
  const shared = args.quick ? null : sharedCorpus();
  if (!args.quick && !args.data && !shared)
    log(
      'note: shared/data/text/tinyshakespeare not found above the package; using the 32 KB slice',
    );
  const corpusPath = args.data ?? shared ?? SLICE;
  const corpus = readFileSync(corpusPath, 'utf8');
  const corpusName = corpusPath === SLICE ? 'tinyshakespeare, first 32 KB' : corpusPath;
  let model: LanguageModel;
  let tokenizer: Tokenizer;
  let modelName: string;
  if (args.quick && args.model === null) {
    ({ model, tokenizer } = await quickModel(corpus));
    modelName = 'quick: 2-layer 48-wide char GPT-2 trained for 80 steps in this run';
  } else {
    const dir = args.model ?? BUNDLED_MODEL;
    if (!existsSync(dir))
      throw new Error(
        `no model at ${dir}: pass --model DIR (a folder with config.json, model.safetensors and a tokenizer), or --quick`,
      );
    model = await loadModel(dir);
    tokenizer = await loadTokenizer(dir);
    modelName = dir === BUNDLED_MODEL ? 'bundled (packages/lm/models/char-shakespeare)' : dir;
  }
  const heldOutFrom = Math.floor(corpus.length * 0.9);
  let heads: MedusaHeads;
  let headsOrigin: string;
  if (args.heads) {
    heads = await loadHeads(args.heads, model);
    headsOrigin = `loaded from ${args.heads}`;
  } else {
    const ids = Int32Array.from(tokenizer.encode(corpus.slice(0, heldOutFrom)));
    const result = await trainMedusa(
      model,
      ids,
      args.quick
        ? {
            heads: 3,
            sequences: 24,
            heldOutSequences: 8,
            promptLength: 16,
            continuationLength: 64,
            steps: 120,
            batchSize: 128,
            learningRate: 3e-3,
          }
        : { heads: 4 },
    );
    heads = result.heads;
    headsOrigin = `trained in this run (${result.trainPositions} positions generated by the base model in ${(result.dataMs / 1000).toFixed(0)} s, ${result.history.length} steps in ${(result.trainMs / 1000).toFixed(0)} s)`;
  }
  if (!heads.accuracy)
    throw new Error(
      `the heads at ${args.heads} carry no accuracy.json: train them with x-medusa train`,
    );
  log(
    `model: ${modelName}\ncorpus: ${corpusName}\nheads: ${heads.config.numHeads}, ${headsOrigin}`,
  );
  return { model, tokenizer, modelName, corpus, corpusName, heldOutFrom, heads, headsOrigin };
}
