/**
 * The speed-and-size benchmark: every library in its own process (so one's
 * memory and JIT state never touch another's), on the same SciFact corpus
 * and the same 1,109 claims, then the 100k-document scale point for our
 * index. Prints a table and ends with one JSON line.
 *
 *   npm run bench -w @x/inverted-index -- [--quick] [--data DIR] [--libs ours,flexsearch,...]
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataFolder, flag, option } from './data.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = flag('quick');
const libs = (option('libs') ?? 'ours,flexsearch,minisearch,orama,lunr,wink').split(',');
const common = ['--data', dataFolder(), ...(quick ? ['--quick'] : [])];

function run(script: string, args: string[]): Record<string, number | string> {
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
  return JSON.parse(last) as Record<string, number | string>;
}

const rows = libs.map((lib) => {
  const row = run('run-one.ts', ['--lib', lib]);
  console.error(`done: ${row.name}`);
  return row;
});
const first = rows[0]!;
console.log(
  `SciFact: ${first.docs} documents, ${first.queries} queries (top 10), one process per library\n`,
);
console.log(
  '| library | build s | retained heap MB | peak RSS MB | snapshot MB | p50 ms | p99 ms | QPS |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) {
  console.log(
    `| ${row.name} | ${row.buildSeconds} | ${row.heapMB} | ${row.peakRssMB} | ${row.snapshotMB} | ${row.p50ms} | ${row.p99ms} | ${row.qps} |`,
  );
}
const scale = run('scale.ts', []);
console.log(
  `\nscale point (@x/inverted-index): ${scale.docs} synthetic documents from SciFact's vocabulary (${scale.textMB} MB of text, ${scale.tokens} tokens): build ${scale.buildSeconds} s, retained heap ${scale.heapMB} MB, peak RSS ${scale.peakRssMB} MB, snapshot ${scale.snapshotMB} MB, p50 ${scale.p50ms} ms, p99 ${scale.p99ms} ms (exhaustive p50 ${scale.exhaustiveP50ms} ms)`,
);
const ours = rows.find((row) => String(row.name).startsWith('@x/'));
const peers = rows.filter((row) => row !== ours);
if (ours && peers.length > 0) {
  const flex = peers.find((row) => String(row.name).startsWith('FlexSearch'));
  const minSnapshot = Math.min(...peers.map((row) => Number(row.snapshotMB)));
  console.log(
    `\ngoals: build <= FlexSearch: ${flex ? (Number(ours.buildSeconds) <= Number(flex.buildSeconds) ? 'met' : 'missed') : 'n/a'}; p50 <= FlexSearch: ${flex ? (Number(ours.p50ms) <= Number(flex.p50ms) ? 'met' : 'missed') : 'n/a'}; snapshot smaller than all peers: ${Number(ours.snapshotMB) < minSnapshot ? 'met' : 'missed'}`,
  );
}
console.log(JSON.stringify({ quick, libraries: rows, scale }));
