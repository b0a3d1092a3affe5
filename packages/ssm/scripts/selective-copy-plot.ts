/**
 * The selective copying learning curves (held-out token accuracy against
 * optimizer steps, Mamba and S4D) as docs/selective-copying.svg. Called by
 * `train-selective-copy.ts` at the end of a full run; also a command that
 * redraws the chart from a saved result line:
 * `tsx scripts/selective-copy-plot.ts bench/results/selective-copying.json`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineChart } from './svg.js';

/** The parts of the training script's JSON line the chart needs. */
export interface SelectiveCopyResult {
  sequenceLength: number;
  tokensToCopy: number;
  vocabSize: number;
  mamba: { curve: [number, number][]; accuracy: number; seconds: number };
  s4d: { curve: [number, number][]; accuracy: number; seconds: number };
}

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');

/**
 * Writes the learning-curve chart.
 * @param result - the training script's result
 * @returns the path written
 */
export function writeSelectiveCopyPlot(result: SelectiveCopyResult): string {
  const series = (name: string, curve: [number, number][], color: string) => ({
    name,
    x: curve.map((p) => p[0]),
    y: curve.map((p) => 100 * p[1]),
    color,
  });
  const path = join(docs, 'selective-copying.svg');
  writeFileSync(
    path,
    lineChart({
      title: `Selective copying (${result.tokensToCopy} tokens, vocabulary ${result.vocabSize}, length ${result.sequenceLength}): held-out accuracy`,
      xLabel: 'optimizer step (batch 8)',
      yLabel: 'token accuracy %',
      width: 780,
      height: 420,
      series: [
        series(`Mamba ${(100 * result.mamba.accuracy).toFixed(1)}%`, result.mamba.curve, '#1f77b4'),
        series(`S4D ${(100 * result.s4d.accuracy).toFixed(1)}%`, result.s4d.curve, '#ff7f0e'),
      ],
    }),
  );
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file)
    throw new Error(
      'usage: selective-copy-plot.ts RESULT.json (the last line of a train:selective-copy run)',
    );
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  console.log(`wrote ${writeSelectiveCopyPlot(JSON.parse(lines.at(-1)!) as SelectiveCopyResult)}`);
}
