/**
 * `npm run experiment:mixed-precision -w @x/tensor`: Micikevicius et al. 2018,
 * "Mixed Precision Training", reproduced on a deep character-level MLP
 * trained on tinyshakespeare with the js backend.
 *
 * The same model, from the same initial weights and over the same batches, is
 * trained (a) in fp32, (b) in fp16 with fp32 master weights, dynamic loss
 * scaling and autocast, (c) in pure fp16 (fp16 weights updated in place, no
 * loss scaling, same autocast), and, as an ablation, (d) in fp16 with master
 * weights but no loss scaling. It prints the final held-out losses (float32
 * evaluation), the gaps to fp32, where the activation gradients land in fp16
 * (the paper's Figure 3), how many weight updates fp16 weights lose, writes
 * two SVG plots and ends with one JSON line of the headline figures.
 * packages/precision/docs/mixed-precision.md explains the setting.
 *
 * Options: --data DIR (default ../shared/data beside the checkout; falls back to
 * the bundled 30 kB slice), --steps N, --global-tokens N, --seed N, --no-ablation,
 * --out DIR (where the plots go; default packages/precision/docs), --quick (a
 * smoke run of a few seconds; its plots go to a temporary folder).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { allWindows, loadCharData } from './data.js';
import { GradientCensus } from './gradient-census.js';
import { histogramChart, lossChart, REGIME_COLORS } from './plots.js';
import { printTables } from './report.js';
import { type RegimeName, type RunResult, type Setting, trainRun } from './train.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const repoRoot = resolve(new URL('../../..', import.meta.url).pathname);
const dataDir = resolve(option('--data') ?? resolve(repoRoot, '..', 'shared', 'data'));
const outDir = quick
  ? mkdtempSync(join(tmpdir(), 'mixed-precision-'))
  : resolve(option('--out') ?? join(repoRoot, 'packages', 'precision', 'docs'));

const data = loadCharData(
  dataDir,
  quick
    ? { trainChars: 20_000, heldOutChars: 1_000 }
    : { trainChars: 400_000, heldOutChars: 20_000 },
);
if (data.fallback)
  console.log(
    `note: ${join(dataDir, 'text/tinyshakespeare/input.txt')} not found; using the bundled 30 kB slice ${data.source}`,
  );

const batch = quick ? 32 : 128;
const seed = Number(option('--seed') ?? 1);
const setting: Setting = {
  model: {
    vocab: data.vocab.length,
    context: 8,
    embed: 16,
    width: quick ? 32 : 64,
    depth: quick ? 3 : 6,
    gain: 2,
    seed,
  },
  steps: Number(option('--steps') ?? (quick ? 12 : 300)),
  batch,
  globalTokens: Number(option('--global-tokens') ?? 2 ** 19),
  lr: 1,
  minLrFraction: 0.1,
  initScale: 2 ** 16,
  batchSeed: seed + 1,
  evalEvery: quick ? 6 : 25,
  measureEvery: quick ? 3 : 10,
};
const accumulation = setting.globalTokens / setting.batch;
if (!(setting.steps >= 1 && Number.isInteger(accumulation) && accumulation >= 1))
  throw new Error(
    `--steps must be >= 1 and --global-tokens a multiple of the batch (${batch}), got ${setting.steps}, ${setting.globalTokens}`,
  );
const context = setting.model.context;
const evalSets = {
  curve: allWindows(data.heldOut.subarray(0, quick ? 500 : 4096 + context), context, 1024),
  final: allWindows(data.heldOut, context, 1024),
};
const regimes: RegimeName[] = ['fp32', 'mixed', 'fp16'];
if (!args.includes('--no-ablation')) regimes.push('fp16-master');

console.log(
  `data: ${data.source} (${data.train.length} training chars, ${data.heldOut.length} held-out, vocab ${data.vocab.length})`,
);
const { model: m } = setting;
console.log(
  `model: ${context} chars x ${m.embed} embed -> ${m.depth} x (Linear ${m.width} + tanh) -> ${m.vocab} logits, gain ${m.gain}; ` +
    `SGD lr ${setting.lr} -> ${setting.lr * setting.minLrFraction} (cosine, mean loss), batch ${batch}, loss normalized by ${setting.globalTokens} tokens (x${accumulation} lr), ${setting.steps} steps`,
);

const results: RunResult[] = [];
for (const regime of regimes) {
  const r = trainRun(regime, setting, data.train, evalSets);
  console.log(`  ${regime}: held-out ${r.finalLoss.toFixed(4)} in ${r.seconds.toFixed(1)} s`);
  results.push(r);
}

// fp32 check: normalizing the loss by globalTokens and scaling lr back is the same fp32 run.
const checkSteps = Math.min(setting.steps, 10);
const check = (globalTokens: number) =>
  trainRun('fp32', { ...setting, steps: checkSteps, globalTokens }, data.train, {
    curve: [],
    final: evalSets.curve,
  }).finalWeights;
const plain = check(setting.batch);
const normalized = check(setting.globalTokens);
const identical = plain.every((w, i) => w.every((v, j) => Object.is(v, normalized[i]![j])));

const byRegime = Object.fromEntries(results.map((r) => [r.regime, r])) as Record<
  RegimeName,
  RunResult
>;
const headline = printTables(results, setting, { checkSteps, identical });

mkdirSync(outDir, { recursive: true });
const subtitle = `${setting.steps} steps`;
writeFileSync(join(outDir, 'mixed-precision-loss.svg'), lossChart(results, subtitle));
const merged = (r: RunResult) => {
  const all = new GradientCensus();
  r.activationCensus.forEach((c) => all.merge(c));
  return all;
};
writeFileSync(
  join(outDir, 'activation-gradients.svg'),
  histogramChart(
    merged(byRegime.fp32),
    [
      {
        name: `mixed run: loss-scaled (x2^${Math.log2(setting.initScale)}), as stored in fp16`,
        color: REGIME_COLORS.mixed,
        census: merged(byRegime.mixed),
      },
      {
        name: 'pure fp16 run: as stored in fp16',
        color: REGIME_COLORS.fp16,
        census: merged(byRegime.fp16),
      },
    ],
    subtitle,
  ),
);
console.log(
  `plots: ${join(outDir, 'mixed-precision-loss.svg')}, ${join(outDir, 'activation-gradients.svg')}`,
);
console.log(
  JSON.stringify({
    ...headline,
    quick,
    seconds: Number(results.reduce((s, r) => s + r.seconds, 0).toFixed(1)),
  }),
);
