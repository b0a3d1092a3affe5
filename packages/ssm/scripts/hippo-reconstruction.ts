/**
 * `npm run docs:hippo -w @x/ssm`: HiPPO-LegS online approximation of a smooth
 * random signal (a random Fourier series, 12 modes, 2000 samples), fed one
 * sample at a time; after the last sample the whole history is reconstructed
 * from the N coefficients. Prints the relative RMS error for N = 8, 16, 32, 64
 * (and each discretization), writes docs/hippo-legs-reconstruction.svg (signal
 * vs reconstruction) and ends with one JSON line of the errors.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator } from '@x/tensor';
import { HippoApproximator } from '../src/hippo/approximation.js';
import type { DiscretizationMethod } from '../src/hippo/discretize.js';
import { lineChart } from './svg.js';

const LENGTH = 2000;
const MODES = 12;
const SIZES = [8, 16, 32, 64];
const METHODS: DiscretizationMethod[] = ['bilinear', 'zoh', 'backward-euler', 'forward-euler'];

function smoothSignal(length: number, modes: number, seed: number): Float64Array {
  const g = new Generator(seed);
  const c = Array.from({ length: modes }, () => [g.normal(), g.normal()] as const);
  return Float64Array.from({ length }, (_, k) =>
    c.reduce(
      (s, [a, b], f) =>
        s +
        a * Math.cos((2 * Math.PI * (f + 1) * k) / length) +
        b * Math.sin((2 * Math.PI * (f + 1) * k) / length),
      0,
    ),
  );
}

const rms = (v: ArrayLike<number>) =>
  Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0) / v.length);

const signal = smoothSignal(LENGTH, MODES, 7);
const scale = rms(signal);
const errors: Record<string, Record<number, number>> = {};
const reconstructions = new Map<number, Float64Array>();
for (const method of METHODS) {
  errors[method] = {};
  for (const N of SIZES) {
    const hippo = new HippoApproximator({ measure: 'legs', stateSize: N, method });
    for (const v of signal) hippo.update(v);
    const recon = hippo.reconstruct();
    errors[method]![N] = rms(recon.map((r, i) => r - signal[i]!)) / scale;
    if (method === 'bilinear') reconstructions.set(N, recon);
  }
}

console.log(
  `HiPPO-LegS, smooth random signal (${MODES} Fourier modes, ${LENGTH} samples), relative RMS error of the reconstruction`,
);
console.log(`| discretization | ${SIZES.map((n) => `N = ${n}`).join(' | ')} |`);
console.log(`| --- | ${SIZES.map(() => '---').join(' | ')} |`);
for (const method of METHODS)
  console.log(
    `| ${method} | ${SIZES.map((n) => errors[method]![n]!.toExponential(2)).join(' | ')} |`,
  );

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs');
mkdirSync(docs, { recursive: true });
const x = Array.from({ length: LENGTH }, (_, i) => i);
const colors: Record<number, string> = {
  8: '#d62728',
  16: '#ff7f0e',
  32: '#2ca02c',
  64: '#1f77b4',
};
writeFileSync(
  join(docs, 'hippo-legs-reconstruction.svg'),
  lineChart({
    title: 'HiPPO-LegS: signal vs reconstruction from N coefficients',
    xLabel: 'sample',
    yLabel: 'value',
    width: 760,
    series: [
      { name: 'signal', x, y: Array.from(signal), color: '#000000' },
      ...SIZES.map((N) => ({
        name: `N = ${N} (err ${errors.bilinear![N]!.toFixed(3)})`,
        x,
        y: Array.from(reconstructions.get(N)!),
        color: colors[N]!,
        dashed: N !== 64,
      })),
    ],
  }),
);
console.log(`wrote ${join('docs', 'hippo-legs-reconstruction.svg')}`);
console.log(
  JSON.stringify({
    task: 'hippo-legs-reconstruction',
    length: LENGTH,
    modes: MODES,
    relativeRmsError: errors,
  }),
);
