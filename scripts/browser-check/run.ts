/**
 * The browser check: bundles `page.ts` and `worker.ts` (the packages from
 * their sources, as a user's bundler would), serves them cross-origin
 * isolated (COOP / COEP, so SharedArrayBuffer and wasm threads exist), opens
 * the page in headless Chromium and prints each check's outcome on the main
 * thread and in a Web Worker. Ends with one JSON line; exits 1 when a check
 * fails.
 *
 *   npm run test:browser [-- --require] [--chrome PATH]
 *
 * Chromium comes from `--chrome PATH` or the PATH (Debian: apt-get install
 * chromium); without one it says so and exits 0, or 1 with --require (CI).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import type { CheckResult } from './checks.js';

const here = dirname(fileURLToPath(import.meta.url));
const required = process.argv.includes('--require');

function findChromium(): string | null {
  const given = process.argv.indexOf('--chrome');
  if (given >= 0 && process.argv[given + 1]) return process.argv[given + 1]!;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not on the PATH
    }
  }
  return null;
}

const chromium = findChromium();
if (!chromium) {
  console.log(
    'browser check skipped: no Chromium found (pass --chrome PATH, or apt-get install chromium)',
  );
  process.exit(required ? 1 : 0);
}

const out = mkdtempSync(join(tmpdir(), 'x-browser-check-'));
const started = performance.now();
await build({
  entryPoints: { page: join(here, 'page.ts'), worker: join(here, 'worker.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['@x/source'],
  external: ['jieba-wasm'],
  logLevel: 'warning',
});
writeFileSync(
  join(out, 'index.html'),
  '<!doctype html><meta charset="utf-8"><title>x browser check</title><script type="module" src="./page.js"></script>',
);
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
const server = createServer((request, response) => {
  const name = request.url === '/' ? 'index.html' : (request.url ?? '').slice(1).split('?')[0]!;
  try {
    const body = readFileSync(join(out, name.replace(/[^\w.-]/g, '')));
    response.writeHead(200, {
      'content-type': types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
let report: { crossOriginIsolated: boolean; main: CheckResult[]; worker: CheckResult[] };
const pageErrors: string[] = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.browserCheck !== undefined, { timeout: 180_000 });
  report = (await page.evaluate(() => window.browserCheck))!;
} catch (error) {
  console.error(`browser check could not finish: ${(error as Error).message}`);
  for (const line of pageErrors) console.error(`page error: ${line}`);
  process.exitCode = 1;
  await browser.close();
  server.close();
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}
const version = await browser.version();
await browser.close();
server.close();
rmSync(out, { recursive: true, force: true });

console.log(`${version}, cross-origin isolated: ${report.crossOriginIsolated}\n`);
console.log('| where | check | ok | detail |');
console.log('|---|---|---|---|');
const rows = [
  ...report.main.map((result) => ['main thread', result] as const),
  ...report.worker.map((result) => ['worker', result] as const),
];
for (const [where, result] of rows) {
  console.log(
    `| ${where} | ${result.name} | ${result.ok ? 'yes' : 'NO'} | ${result.detail.replaceAll('\n', ' ')} |`,
  );
}
const failed = rows.filter(([, result]) => !result.ok).length;
for (const line of pageErrors) console.error(`page error: ${line}`);
console.log(
  JSON.stringify({
    browser: version,
    crossOriginIsolated: report.crossOriginIsolated,
    checks: rows.length,
    failed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  }),
);
process.exit(failed === 0 && pageErrors.length === 0 ? 0 : 1);
