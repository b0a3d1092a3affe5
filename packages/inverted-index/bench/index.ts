/**
 * The speed-and-size benchmark: every library in its own process (so one's
 * memory and JIT state never touch another's), on the same SciFact corpus
 * and the same 1,109 claims, then the 100k-document scale point for our
 * index. With `--runs N` (default 3; 1 with --quick) each library runs N
 * times, interleaved, and the table keeps each library's fastest run, so a
 * burst of load from other processes on the machine does not decide the
 * comparison. Prints a table and ends with one JSON line.
 *
 *   npm run bench -w @x/inverted-index -- [--quick] [--runs N] [--data DIR] [--libs ours,flexsearch,...]
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFolder, flag, option } from './data.js';

type Row = Record<string, number | string>;

const here = dirname(fileURLToPath(import.meta.url));
const quick = flag('quick');
const runs = Number(option('runs') ?? (quick ? 1 : 3));
const libs = (option('libs') ?? 'ours,flexsearch,minisearch,orama,lunr,wink').split(',');
const common = ['--data', dataFolder(), ...(quick ? ['--quick'] : [])];

function run(script: string, args: string[]): Row {
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--conditions=@x/source',
      '--import',
      'tsx',
      join(here, script),
      ...args,
      ...common,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const lines = result.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (result.status !== 0 || !last.startsWith('{')) {
    throw new Error(`${script} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  }
  return JSON.parse(last) as Row;
}

/** Per library, the run with the fastest build; latency and QPS from the run with the lowest p50. */
function best(samples: Row[]): Row {
  const byBuild = [...samples].sort((a, b) => Number(a.buildSeconds) - Number(b.buildSeconds))[0]!;
  const byLatency = [...samples].sort((a, b) => Number(a.p50ms) - Number(b.p50ms))[0]!;
  return {
    ...byBuild,
    p50ms: byLatency.p50ms,
    p99ms: byLatency.p99ms,
    qps: byLatency.qps,
    runs: samples.length,
  };
}

const samples = new Map<string, Row[]>(libs.map((lib) => [lib, []]));
for (let r = 0; r < runs; r++) {
  for (const lib of libs) {
    const row = run('run-one.ts', ['--lib', lib]);
    samples.get(lib)!.push(row);
    console.error(
      `run ${r + 1}/${runs}: ${row.name} build ${row.buildSeconds} s, p50 ${row.p50ms} ms`,
    );
  }
}
const rows = libs.map((lib) => best(samples.get(lib)!));
const first = rows[0]!;
console.log(
  `SciFact: ${first.docs} documents, ${first.queries} queries (top 10); one process per library and run, best of ${runs}\n`,
);
console.log(
  '| library | build s | build CPU s | retained memory MB | peak RSS MB | snapshot MB | p50 ms | p99 ms | QPS |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  const cells = [
    row.name,
    row.buildSeconds,
    row.buildCpuSeconds,
    row.heapMB,
    row.peakRssMB,
    row.snapshotMB,
    row.p50ms,
    row.p99ms,
    row.qps,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
const scale = run('scale.ts', []);
console.log(
  `\nscale point (@x/inverted-index): ${scale.docs} synthetic documents from SciFact's vocabulary (${scale.textMB} MB of text, ${scale.tokens} tokens): build ${scale.buildSeconds} s (CPU ${scale.buildCpuSeconds} s), retained memory ${scale.heapMB} MB, peak RSS ${scale.peakRssMB} MB, snapshot ${scale.snapshotMB} MB, p50 ${scale.p50ms} ms, p99 ${scale.p99ms} ms (exhaustive p50 ${scale.exhaustiveP50ms} ms)`,
);
const ours = rows.find((row) => String(row.name).startsWith('@x/'));
const peers = rows.filter((row) => row !== ours);
const flex = peers.find((row) => String(row.name).startsWith('FlexSearch'));
if (quick) {
  console.log('\ngoals: not judged on a --quick smoke run (tiny corpus, one run)');
} else if (ours && flex) {
  const verdict = (ok: boolean) => (ok ? 'met' : 'missed');
  const minSnapshot = Math.min(...peers.map((row) => Number(row.snapshotMB)));
  console.log(
    `\ngoals: build <= FlexSearch: ${verdict(Number(ours.buildSeconds) <= Number(flex.buildSeconds))}; p50 <= FlexSearch: ${verdict(Number(ours.p50ms) <= Number(flex.p50ms))}; snapshot smaller than every peer: ${verdict(Number(ours.snapshotMB) < minSnapshot)}`,
  );
}
console.log(JSON.stringify({ quick, runs, libraries: rows, scale }));
