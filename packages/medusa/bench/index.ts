/**
 * `npm run bench -w @x/medusa` (`-- --quick` for CI: a tiny model and heads
 * trained in seconds). One run, ending with one JSON line:
 *
 * 1. the model and its heads (loaded with `--heads DIR`, or trained here),
 *    with per-head accuracy next to the reference's;
 * 2. the measured step cost time(T) / time(1) and the trees chosen from it;
 * 3. open-ended prompts (held-out text): plain greedy vs heads, n-grams and
 *    both — tokens/step, tokens/s, speedup, identical output;
 * 4. retrieval prompts (a passage found by @x/inverted-index, then the start
 *    of that speech to continue): the same four;
 * 5. the 124M GPT-2-shaped model's time(T) / time(1) and the speedup the
 *    measured acceptance would give there;
 * 6. typical acceptance at temperature 0.7 against plain sampling (tokens/s
 *    and mean log-likelihood within 2%);
 * 7. peers (bench/peers.ts; node-llama-cpp's prompt lookup goes there).
 *
 * Options: --model DIR (default: the bundled model), --heads DIR, --data
 * FILE, --prompts N, --out FILE (also write the JSON there), --skip-124m.
 * Timings come from a shared machine: methods are interleaved prompt by
 * prompt, and the step costs are the fastest of several repeats.
 */
import { writeFileSync } from 'node:fs';
import { accuracyTable } from '../src/cli/train-command.js';
import { autoTree, expectedNgramRows, resolveNgramOptions, type TreeChoice } from '../src/index.js';
import { type BenchPrompt, compareDecoding, type Method, type MethodFigures } from './decoding.js';
import { largeModelFigures } from './gpt2-124m.js';
import { PEERS, type PeerFigures } from './peers.js';
import { retrievalPrompts } from './retrieval.js';
import { parseArgs, setup } from './setup.js';
import { typicalFigures } from './typical.js';

const args = parseArgs(process.argv.slice(2));
const log = (line = '') => process.stderr.write(`${line}\n`);
const started = performance.now();

const s = await setup(args, log);
const { model, tokenizer, heads } = s;
const context = model.config.architecture === 'mamba' ? 1024 : model.config.maxPositions;
log(`\n${accuracyTable(heads.accuracy!)}\n`);

// 2. step cost and the trees chosen from it
const ngramRows = expectedNgramRows(resolveNgramOptions({}));
const own = autoTree(model, heads, { extraRows: 0 }).cost;
log(
  `this model's step cost time(T)/time(1): ${own.rows.map((T, i) => `T=${T} ${(own.ms[i]! / own.ms[0]!).toFixed(2)}`).join(', ')} (time(1) = ${own.ms[0]!.toFixed(2)} ms, heads ${own.headsMs.toFixed(2)} ms)`,
);
const headsChoice = autoTree(model, heads, { extraRows: 0 });
const bothChoice = autoTree(model, heads, { extraRows: ngramRows });
const describe = (name: string, c: TreeChoice) =>
  `${name}: ${c.tree.size - 1} paths ${JSON.stringify(c.tree.choices)}; expected ${c.expectedTokensPerStep.toFixed(2)} tokens/step, ${c.expectedSpeedup.toFixed(2)}x`;
log(describe('tree (heads only)', headsChoice));
log(describe(`tree (heads + ${ngramRows} expected n-gram rows)`, bothChoice));

// 3. open-ended prompts from the held-out text (line starts)
const count = args.prompts ?? (args.quick ? 4 : 24);
const heldOut = s.corpus.slice(s.heldOutFrom);
const starts: number[] = [];
for (
  let i = heldOut.indexOf('\n') + 1;
  i > 0 && i < heldOut.length - 64;
  i = heldOut.indexOf('\n', i) + 1
)
  starts.push(i);
const promptLength = 32;
const openPrompts: BenchPrompt[] = Array.from({ length: count }, (_, i) => {
  const at = starts[Math.floor(((i + 0.5) * starts.length) / count)]!;
  return { prompt: heldOut.slice(at, at + promptLength) };
});
const maxTokens = Math.min(args.quick ? 48 : 96, context - promptLength);
const trees = { heads: headsChoice.tree, both: bothChoice.tree };
const open = await compareDecoding(model, tokenizer, heads, trees, openPrompts, maxTokens);
const table = (title: string, figures: Record<Method, MethodFigures>) => {
  log(`\n${title}\nmethod   tokens/step  tokens/s  speedup  identical`);
  for (const [method, f] of Object.entries(figures))
    log(
      `${method.padEnd(8)} ${f.tokensPerStep.toFixed(2).padStart(11)}  ${f.tokensPerSecond.toFixed(1).padStart(8)}  ${f.speedup.toFixed(2).padStart(6)}x  ${f.identical}`,
    );
};
table(`open-ended: ${openPrompts.length} held-out prompts x ${maxTokens} tokens`, open);
log(
  `heads only: predicted ${headsChoice.expectedTokensPerStep.toFixed(2)} tokens/step, measured ${open.heads.tokensPerStep.toFixed(2)}`,
);

// 4. retrieval prompts
const retrievalContinuation = Math.min(48, Math.floor(context / 3));
const retrieval = retrievalPrompts(s.corpus, count, context, retrievalContinuation);
const rag = await compareDecoding(
  model,
  tokenizer,
  heads,
  trees,
  retrieval.prompts,
  retrievalContinuation,
);
table(
  `retrieval: ${retrieval.prompts.length} prompts (BM25 over ${retrieval.passages} speeches; the query's own speech ranked first for ${(100 * retrieval.hitRate).toFixed(0)}%) x ${retrievalContinuation} tokens`,
  rag,
);
log(`example retrieval prompt: ${JSON.stringify(retrieval.prompts[0]?.prompt)}`);

// 5. the 124M GPT-2-shaped model's cost curve
let large: ReturnType<typeof largeModelFigures> | null = null;
if (!args.skip124m) {
  large = largeModelFigures(heads.accuracy!, headsChoice.tree, args.quick);
  log(
    `\n${large.shape} (${(large.parameters / 1e6).toFixed(1)}M parameters, random weights), context 128:`,
  );
  log(
    `time(T)/time(1): ${Object.entries(large.ratios)
      .map(([T, r]) => `T=${T} ${r.toFixed(2)}`)
      .join(
        ', ',
      )} (time(1) = ${large.cost.ms[0]!.toFixed(1)} ms, heads ${large.cost.headsMs.toFixed(1)} ms)`,
  );
  log(
    `with this model's head accuracy: chosen tree ${large.chosen.paths} paths -> ${large.chosen.tokensPerStep.toFixed(2)} tokens/step, time ratio ${large.chosen.ratio.toFixed(2)}, predicted ${large.chosen.speedup.toFixed(2)}x; this model's tree (${large.bundledTree.rows} rows, ratio ${large.bundledTree.ratio.toFixed(2)}) would give ${large.bundledTree.speedup.toFixed(2)}x`,
  );
}

// 6. sampling at temperature 0.7: typical acceptance (the reference's) and exact acceptance
const samples = args.quick ? 10 : 100;
const samplePrompts = openPrompts.map((p) => p.prompt);
const sampleTokens = args.quick ? 32 : 64;
const typical = await typicalFigures(
  model,
  tokenizer,
  heads,
  headsChoice.tree,
  samplePrompts,
  samples,
  sampleTokens,
);
const exact = await typicalFigures(
  model,
  tokenizer,
  heads,
  headsChoice.tree,
  samplePrompts,
  samples,
  sampleTokens,
  { acceptance: 'exact' },
);
for (const [name, f] of [
  ['typical acceptance', typical],
  ['exact acceptance', exact],
] as const)
  log(
    `${name}, temperature ${f.temperature}, ${f.samples} samples: ${f.typical.tokensPerSecond.toFixed(1)} tok/s (${f.typical.tokensPerStep.toFixed(2)} tokens/step) vs plain sampling ${f.plain.tokensPerSecond.toFixed(1)} tok/s = ${f.speedup.toFixed(2)}x; mean log-likelihood ${f.typical.meanLogLikelihood.toFixed(4)} vs ${f.plain.meanLogLikelihood.toFixed(4)} (${(100 * f.relativeDifference).toFixed(2)}%, within 2%: ${f.withinTwoPercent})`,
  );

// 7. peers
const peers: PeerFigures[] = [];
for (const peer of PEERS) {
  const figures = await peer.run(args.model ?? '', retrieval.prompts, retrievalContinuation);
  if (figures) {
    peers.push(figures);
    log(
      `peer ${figures.name}: ${figures.speedup.toFixed(2)}x over its own plain decoding (identical: ${figures.identical})`,
    );
  }
}
if (PEERS.length === 0)
  log('\npeers: none yet (node-llama-cpp prompt lookup needs the GGUF export; see bench/peers.ts)');

const round = (x: number, digits = 3) => Number(x.toFixed(digits));
const figures = (f: Record<Method, MethodFigures>) =>
  Object.fromEntries(
    Object.entries(f).map(([m, v]) => [
      m,
      {
        tokensPerStep: round(v.tokensPerStep),
        tokensPerSecond: round(v.tokensPerSecond, 1),
        speedup: round(v.speedup),
        identical: v.identical,
        meanTreeSize: round(v.meanTreeSize, 1),
      },
    ]),
  );
const summary = {
  bench: '@x/medusa',
  quick: args.quick,
  model: s.modelName,
  heads: {
    count: heads.config.numHeads,
    origin: s.headsOrigin,
    top1: heads.accuracy!.top1.map((v) => round(v)),
    top5: heads.accuracy!.top5.map((v) => round(v)),
    referenceTop1: [0.56, 0.32, 0.2, 0.15, 0.12],
  },
  trees: {
    heads: {
      paths: headsChoice.tree.choices,
      expectedTokensPerStep: round(headsChoice.expectedTokensPerStep),
      expectedSpeedup: round(headsChoice.expectedSpeedup),
      measuredTokensPerStep: round(open.heads.tokensPerStep),
    },
    both: {
      paths: bothChoice.tree.choices,
      expectedTokensPerStep: round(bothChoice.expectedTokensPerStep),
      expectedSpeedup: round(bothChoice.expectedSpeedup),
    },
  },
  openEnded: { prompts: openPrompts.length, maxTokens, ...figures(open) },
  retrieval: {
    prompts: retrieval.prompts.length,
    maxTokens: retrievalContinuation,
    hitRate: round(retrieval.hitRate),
    ...figures(rag),
  },
  gpt2_124m: large && {
    shape: large.shape,
    parameters: large.parameters,
    timeRatio: Object.fromEntries(Object.entries(large.ratios).map(([k, v]) => [k, round(v)])),
    time1Ms: round(large.cost.ms[0]!, 2),
    chosen: {
      ...large.chosen,
      ratio: round(large.chosen.ratio),
      tokensPerStep: round(large.chosen.tokensPerStep),
      speedup: round(large.chosen.speedup),
    },
    thisModelsTree: {
      ...large.bundledTree,
      ratio: round(large.bundledTree.ratio),
      tokensPerStep: round(large.bundledTree.tokensPerStep),
      speedup: round(large.bundledTree.speedup),
    },
  },
  sampling: Object.fromEntries(
    (['typical', 'exact'] as const).map((name) => {
      const f = name === 'typical' ? typical : exact;
      return [
        name,
        {
          samples: f.samples,
          temperature: f.temperature,
          tokensPerSecond: round(f.typical.tokensPerSecond, 1),
          plainTokensPerSecond: round(f.plain.tokensPerSecond, 1),
          speedup: round(f.speedup),
          tokensPerStep: round(f.typical.tokensPerStep),
          meanLogLikelihood: round(f.typical.meanLogLikelihood, 4),
          plainMeanLogLikelihood: round(f.plain.meanLogLikelihood, 4),
          relativeDifference: round(f.relativeDifference, 4),
          withinTwoPercent: f.withinTwoPercent,
        },
      ];
    }),
  ),
  peers,
  wallSeconds: round((performance.now() - started) / 1000, 1),
};
const line = JSON.stringify(summary);
if (args.out) writeFileSync(args.out, `${line}\n`);
console.log(line);
