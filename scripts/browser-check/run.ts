/**
 * The browser check: bundles `page.ts` and `worker.ts` (the packages from
 * their sources, or with --dist from their builds, as a user's bundler
 * would), serves them twice, cross-origin isolated (COOP / COEP:
 * SharedArrayBuffer, so wasm threads) and plain (one thread, unshared
 * memory), opens both pages in each browser found (headless Chromium and
 * Firefox; WebKitGTK's MiniBrowser on Xvfb) and prints each check's outcome on the main thread and in a Web
 * Worker. Ends with one JSON line; exits 1 when a check fails.
 *
 *   npm run test:browser [-- --require] [--dist] [--chrome PATH] [--firefox PATH] [--webkit PATH]
 *
 * With --dist the bundle takes each package's built `dist/` (run `npm run
 * build` first), as an app that installed them from npm would.
 *
 * The browsers come from the options or the PATH (Debian: apt-get install
 * chromium firefox-esr webkit2gtk-driver xvfb); a missing one is named and skipped, or with
 * --require (CI) fails the run.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import type { CheckResult } from './checks.js';
import { findMiniBrowser, startWebKit } from './webkit.js';

const here = dirname(fileURLToPath(import.meta.url));
const required = process.argv.includes('--require');
// --dist: bundle the packages' built `dist/` (what npm installs) instead of their sources
const fromDist = process.argv.includes('--dist');

/** A browser's executable: `--NAME PATH`, else the first of `names` on the PATH. */
function findBrowser(option: string, names: readonly string[]): string | null {
  const given = process.argv.indexOf(`--${option}`);
  if (given >= 0 && process.argv[given + 1]) return process.argv[given + 1]!;
  for (const name of names) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || null;
    } catch {
      // not on the PATH
    }
  }
  return null;
}

const miniBrowser = findMiniBrowser();
const candidates = [
  {
    kind: 'chrome' as const,
    path: findBrowser('chrome', ['chromium', 'chromium-browser', 'google-chrome']),
  },
  { kind: 'firefox' as const, path: findBrowser('firefox', ['firefox-esr', 'firefox']) },
  {
    kind: 'webkit' as const,
    path:
      miniBrowser && findBrowser('xvfb-run', ['xvfb-run'])
        ? findBrowser('webkit', ['WebKitWebDriver'])
        : null,
  },
];
const browsers = candidates.filter(
  (browser): browser is { kind: 'chrome' | 'firefox' | 'webkit'; path: string } =>
    browser.path !== null,
);
const missing = candidates
  .filter((browser) => browser.path === null)
  .map((browser) => browser.kind);
if (missing.length > 0) {
  console.log(
    `browser check: no ${missing.join(' or ')} found (pass --chrome PATH / --firefox PATH, or apt-get install chromium firefox-esr webkit2gtk-driver xvfb)${browsers.length === 0 ? '; skipped' : ''}`,
  );
  if (required) process.exit(1);
  if (browsers.length === 0) process.exit(0);
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
  conditions: fromDist ? [] : ['@x/source'],
  logLevel: 'warning',
});
// jieba-wasm's web build fetches its wasm from beside the bundle (new URL(..., import.meta.url))
copyFileSync(
  createRequire(import.meta.url)
    .resolve('jieba-wasm/web')
    .replace(/\.js$/, '_bg.wasm'),
  join(out, 'jieba_rs_wasm_bg.wasm'),
);
writeFileSync(
  join(out, 'index.html'),
  '<!doctype html><meta charset="utf-8"><title>x browser check</title><script type="module" src="./page.js"></script>',
);
const types: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};
// `/isolated/...` is served with COOP / COEP (SharedArrayBuffer, wasm threads), `/plain/...` without
const server = createServer((request, response) => {
  const [, mode, file] = (request.url ?? '').split('?')[0]!.split('/');
  const name = file || 'index.html';
  try {
    const body = readFileSync(join(out, name.replace(/[^\w.-]/g, '')));
    const headers: Record<string, string> = {
      'content-type': types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
    };
    if (mode === 'isolated') {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    response.writeHead(200, headers).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

type Report = { crossOriginIsolated: boolean; main: CheckResult[]; worker: CheckResult[] };
const pageErrors: string[] = [];
const rows: [string, CheckResult][] = [];
const versions: string[] = [];
const isolation: Record<string, boolean> = {};

/** Opens both pages in one browser and collects their reports. */
async function runIn(kind: 'chrome' | 'firefox', executablePath: string): Promise<void> {
  const browser = await puppeteer.launch({
    browser: kind,
    executablePath,
    headless: true,
    args: kind === 'chrome' ? ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] : [],
  });
  try {
    const version = await browser.version();
    versions.push(version);
    for (const mode of ['isolated', 'plain']) {
      const page = await browser.newPage();
      page.on('pageerror', (error) => pageErrors.push(`${version} ${mode}: ${error}`));
      await page.goto(`http://127.0.0.1:${port}/${mode}/`);
      await page.waitForFunction(() => window.browserCheck !== undefined, { timeout: 180_000 });
      const report = (await page.evaluate(() => window.browserCheck)) as Report;
      isolation[`${version} ${mode}`] = report.crossOriginIsolated;
      for (const result of report.main) rows.push([`${version} ${mode} page`, result]);
      for (const result of report.worker) rows.push([`${version} ${mode} worker`, result]);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

/** Both pages in WebKitGTK's MiniBrowser (JavaScriptCore) through WebKitWebDriver. */
async function runInWebKit(driver: string): Promise<void> {
  const session = await startWebKit(driver, miniBrowser!);
  try {
    versions.push(session.version);
    for (const mode of ['isolated', 'plain']) {
      const report = (await session.load(
        `http://127.0.0.1:${port}/${mode}/`,
        'return window.browserCheck ?? null;',
        180_000,
      )) as Report;
      isolation[`${session.version} ${mode}`] = report.crossOriginIsolated;
      for (const result of report.main) rows.push([`${session.version} ${mode} page`, result]);
      for (const result of report.worker) rows.push([`${session.version} ${mode} worker`, result]);
    }
  } finally {
    await session.close();
  }
}

try {
  for (const { kind, path } of browsers) {
    if (kind === 'webkit') await runInWebKit(path);
    else await runIn(kind, path);
  }
} catch (error) {
  console.error(`browser check could not finish: ${(error as Error).message}`);
  for (const line of pageErrors) console.error(`page error: ${line}`);
  server.close();
  rmSync(out, { recursive: true, force: true });
  process.exit(1);
}
server.close();
rmSync(out, { recursive: true, force: true });

console.log(`${versions.join(', ')}; cross-origin isolated: ${JSON.stringify(isolation)}\n`);
console.log('| where | check | ok | detail |');
console.log('|---|---|---|---|');
for (const [where, result] of rows) {
  console.log(
    `| ${where} | ${result.name} | ${result.ok ? 'yes' : 'NO'} | ${result.detail.replaceAll('\n', ' ')} |`,
  );
}
const failed = rows.filter(([, result]) => !result.ok).length;
for (const line of pageErrors) console.error(`page error: ${line}`);
console.log(
  JSON.stringify({
    browsers: versions,
    packages: fromDist ? 'dist' : 'sources',
    crossOriginIsolated: isolation,
    checks: rows.length,
    failed,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  }),
);
process.exit(failed === 0 && pageErrors.length === 0 ? 0 : 1);
