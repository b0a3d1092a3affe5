/**
 * The experiment's printed report: Markdown tables of the final losses, of
 * where activation gradients land in fp16 (all layers, then per layer), and of
 * lost weight updates; the verdict on each claim; and the headline figures for
 * the closing JSON line.
 */
import { GradientCensus } from './gradient-census.js';
import { REGIMES, type RegimeName, type RunResult, type Setting } from './train.js';

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits).replace(/^-(0\.0*)$/, '$1')}%`;
const round = (x: number, digits = 2) => Number((100 * x).toFixed(digits));

function merged(r: RunResult): GradientCensus {
  const all = new GradientCensus();
  r.activationCensus.forEach((c) => all.merge(c));
  return all;
}

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The headline figures (the closing JSON line). */
export interface Headline {
  steps: number;
  finalLoss: Partial<Record<RegimeName, number>>;
  gapToFp32Pct: Partial<Record<RegimeName, number>>;
  mixedWithin2Pct: boolean;
  fp32ActivationGradsPct: { flushToZero: number; subnormal: number; normal: number };
  fp16ActivationGradsPct: { zero: number; subnormal: number; normal: number };
  lostUpdatesPct: { fp32WouldLose: number; fp16Lost: number };
  fp32NormalizationBitIdentical: boolean;
}

/**
 * Prints the tables and verdicts.
 * @returns the headline figures
 */
export function printTables(
  results: RunResult[],
  setting: Setting,
  check: { checkSteps: number; identical: boolean },
): Headline {
  const by = Object.fromEntries(results.map((r) => [r.regime, r])) as Partial<
    Record<RegimeName, RunResult>
  >;
  const fp32 = by.fp32!;
  const gap = (r: RunResult) => (r.finalLoss - fp32.finalLoss) / fp32.finalLoss;

  console.log("\nFinal losses (held-out, evaluated in float32 from each model's own weights)\n");
  console.log(
    table(
      [
        'run',
        'held-out loss',
        'gap to fp32',
        'train loss (last 50)',
        'skipped steps',
        'final loss scale',
        'seconds',
      ],
      results.map((r) => [
        `${r.regime}: ${REGIMES[r.regime].label}`,
        r.finalLoss.toFixed(4),
        r === fp32 ? '-' : `${gap(r) >= 0 ? '+' : ''}${pct(gap(r), 2)}`,
        mean(r.trainLoss.slice(-50)).toFixed(4),
        r.skippedSteps,
        REGIMES[r.regime].scaling ? r.finalScale : '-',
        r.seconds.toFixed(1),
      ]),
    ),
  );

  console.log(
    `\nActivation gradients (every layer's output, every ${setting.measureEvery} steps): where they land in fp16.` +
      '\nfp32: where the fp32 values would land if rounded to fp16; fp16 runs: the stored fp16 values (mixed: loss-scaled).\n',
  );
  const censuses = results.map((r) => [r, merged(r)] as const);
  console.log(
    table(
      ['run', 'values', 'exact zero', 'flush to zero', 'subnormal', 'normal', 'overflow'],
      censuses.map(([r, c]) => [
        r.regime,
        c.counts.total,
        pct(c.fraction('zero')),
        r.regime === 'fp32' ? pct(c.fraction('flushed')) : '-',
        pct(c.fraction('subnormal')),
        pct(c.fraction('normal')),
        pct(c.fraction('overflow')),
      ]),
    ),
  );

  console.log(
    '\nPer layer (L1 = first hidden layer ... logits): fp32 would flush / subnormal; fp16 stored zero / subnormal\n',
  );
  const fp16 = by.fp16;
  console.log(
    table(
      ['layer', 'fp32 flush', 'fp32 subnormal', 'fp16 zero', 'fp16 subnormal'],
      fp32.activationCensus.map((c, i) => [
        i === fp32.activationCensus.length - 1 ? 'logits' : `L${i + 1}`,
        pct(c.fraction('flushed')),
        pct(c.fraction('subnormal')),
        fp16 ? pct(fp16.activationCensus[i]!.fraction('zero')) : '-',
        fp16 ? pct(fp16.activationCensus[i]!.fraction('subnormal')) : '-',
      ]),
    ),
  );

  const lost = (r: RunResult | undefined) =>
    r && r.updates.nonzero > 0 ? r.updates.lost / r.updates.nonzero : Number.NaN;
  console.log(
    `\nWeight updates: fp32 run, updates an fp16 weight could not absorb: ${pct(lost(fp32))}; ` +
      `pure fp16 run, weights with a nonzero gradient whose fp16 value did not move: ${pct(lost(fp16))}`,
  );

  const mixed = by.mixed;
  const within = mixed !== undefined && Math.abs(gap(mixed)) <= 0.02;
  console.log('\nClaims');
  if (mixed)
    console.log(
      `  (b) mixed precision within 2% of fp32: ${within ? 'yes' : 'NO'} (gap ${pct(gap(mixed), 2)})`,
    );
  if (fp16) console.log(`  (c) pure fp16 gap to fp32: ${pct(gap(fp16), 2)}`);
  if (by['fp16-master'])
    console.log(
      `  (d) fp16 + master weights, no loss scaling (gradient underflow alone): ${pct(gap(by['fp16-master']), 2)}`,
    );
  console.log(
    `  fp32 with the loss normalized by ${setting.globalTokens} tokens and lr x${setting.globalTokens / setting.batch} ` +
      `is bit-identical to mean-loss SGD over ${check.checkSteps} steps: ${check.identical ? 'yes' : 'NO'}\n`,
  );

  const c32 = merged(fp32);
  const c16 = fp16 ? merged(fp16) : new GradientCensus();
  const finalLoss: Headline['finalLoss'] = {};
  const gapToFp32Pct: Headline['gapToFp32Pct'] = {};
  for (const r of results) {
    finalLoss[r.regime] = Number(r.finalLoss.toFixed(4));
    if (r !== fp32) gapToFp32Pct[r.regime] = round(gap(r));
  }
  return {
    steps: setting.steps,
    finalLoss,
    gapToFp32Pct,
    mixedWithin2Pct: within,
    fp32ActivationGradsPct: {
      flushToZero: round(c32.fraction('flushed')),
      subnormal: round(c32.fraction('subnormal')),
      normal: round(c32.fraction('normal')),
    },
    fp16ActivationGradsPct: {
      zero: round(c16.fraction('zero')),
      subnormal: round(c16.fraction('subnormal')),
      normal: round(c16.fraction('normal')),
    },
    lostUpdatesPct: { fp32WouldLose: round(lost(fp32)), fp16Lost: round(lost(fp16)) },
    fp32NormalizationBitIdentical: check.identical,
  };
}
