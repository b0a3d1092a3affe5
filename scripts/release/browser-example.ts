/**
 * Runs a README example in headless Chromium: bundles it with esbuild as an
 * app's bundler would (from the project folder that installed the package,
 * platform browser), loads it in a plain page after a `console.log` stand-in
 * for Node's `util.inspect` (readme-example.ts), and returns what it printed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { browserConsolePrelude } from './readme-example.js';

/** What the page printed, and the error that stopped it (null when it ran to the end). */
export interface BrowserRun {
  output: string;
  error: string | null;
  seconds: number;
  bundleBytes: number;
}

/** Bundles `exampleFile` (inside `projectDir`) and runs it on a page of `browser`. */
export async function runExampleInBrowser(
  browser: Browser,
  projectDir: string,
  exampleFile: string,
  timeoutMs = 180_000,
): Promise<BrowserRun> {
  const started = performance.now();
  const out = join(projectDir, 'browser');
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { example: exampleFile },
    absWorkingDir: projectDir,
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  writeFileSync(
    join(out, 'index.html'),
    [
      '<!doctype html><meta charset="utf-8"><title>README example</title>',
      `<script>${browserConsolePrelude}</script>`,
      '<script type="module">',
      'try { await import("./example.js"); window.exampleDone = { error: null }; }',
      'catch (error) { window.exampleDone = { error: String((error && error.stack) || error) }; }',
      '</script>',
    ].join('\n'),
  );
  const bundleBytes = readFileSync(join(out, 'example.js')).length;
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.wasm': 'application/wasm',
  };
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
    try {
      const body = readFileSync(join(out, name.replace(/[^\w.-]/g, '')));
      response
        .writeHead(200, {
          'content-type': types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
        })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as { exampleDone?: unknown }).exampleDone, {
      timeout: timeoutMs,
    });
    const result = (await page.evaluate(() => ({
      lines: (window as unknown as { exampleOutput: string[] }).exampleOutput,
      done: (window as unknown as { exampleDone: { error: string | null } }).exampleDone,
    }))) as { lines: string[]; done: { error: string | null } };
    const error = result.done.error ?? (pageErrors.length > 0 ? pageErrors.join('\n') : null);
    return {
      output: result.lines.join('\n'),
      error,
      seconds: (performance.now() - started) / 1000,
      bundleBytes,
    };
  } catch (error) {
    return {
      output: '',
      error: `${String(error)}${pageErrors.length > 0 ? `\n${pageErrors.join('\n')}` : ''}`,
      seconds: (performance.now() - started) / 1000,
      bundleBytes,
    };
  } finally {
    await page.close();
    server.close();
  }
}
