/**
 * The page in headless Chromium (puppeteer-core, Debian's chromium): search shows every
 * list with highlighted snippets, one mode shows one list, Ask streams tokens and then
 * the decoding statistics, Stop ends a generation (the server sees the disconnect).
 * Screenshots go to test/artifacts/. Skipped when no chromium is installed.
 *
 * Runs twice: on the real pipeline (the embedded corpus indexed into a temporary data
 * directory, the bundled model and heads), and on the fake one (deterministic timing, and
 * a passage that holds HTML, for the escaping check).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoPipeline } from '../src/pipeline/types.js';
import { type RunningServer, startServer } from '../src/server/start.js';
import { FakePipeline, waitFor } from './fake-pipeline.js';

/** The pipeline the page talks to: the fake (fast, deterministic) or the real one. */
async function e2ePipeline(real: boolean): Promise<DemoPipeline> {
  if (real) {
    const { openPipeline } = await import('../src/pipeline/open.js');
    return openPipeline({ dataDir: mkdtempSync(join(tmpdir(), 'x-demo-e2e-')) });
  }
  return new FakePipeline({ tokenDelayMs: 40 });
}

/** A query with hits in the corpus under test. */
const queryFor = (real: boolean) =>
  process.env.X_DEMO_E2E_QUERY ?? (real ? 'a plague on both your houses' : 'whale');

const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

function findChromium(): string | undefined {
  if (process.env.X_DEMO_CHROMIUM) return process.env.X_DEMO_CHROMIUM;
  try {
    return (
      execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
        encoding: 'utf8',
      }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

const chromium = findChromium();

if (chromium === undefined) {
  it.skip('e2e: no chromium on PATH (apt-get install chromium, or set X_DEMO_CHROMIUM to its path)', () => {});
} else {
  describe.each([
    ['the real pipeline', true],
    ['the fake pipeline', false],
  ])('the demo page in headless Chromium on %s', (_, REAL) => {
    const QUERY = queryFor(REAL);
    const shot = (name: string) => `${ARTIFACTS}${REAL ? 'real' : 'fake'}-${name}.png`;
    let pipeline: DemoPipeline;
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    const offOrigin: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      pipeline = await e2ePipeline(REAL);
      server = await startServer(pipeline, { port: 0 });
      browser = await puppeteer.launch({
        executablePath: chromium,
        headless: true,
        args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      page = await browser.newPage();
      await page.setViewport({ width: 1400, height: 900 });
      page.on('request', (request) => {
        if (!request.url().startsWith(server.url)) offOrigin.push(request.url());
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      await page.goto(`${server.url}/`, { waitUntil: 'networkidle0' });
    }, 300_000); // the real pipeline indexes the corpus and loads the model first

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const listModes = () =>
      page.$$eval('#lists .list', (lists) =>
        lists.map((list) => (list as HTMLElement).dataset.mode),
      );

    it('searches and shows all four lists, each with highlighted hits', async () => {
      await page.waitForFunction(() =>
        document.querySelector('#corpus')?.textContent?.includes('passages'),
      );
      await page.type('#query', QUERY);
      await page.keyboard.press('Enter');
      await page.waitForSelector('#lists .list[data-mode="ranked"] li.hit');
      expect(await listModes()).toEqual(['bm25', 'vector', 'hybrid', 'ranked']);
      for (const mode of ['bm25', 'vector', 'hybrid', 'ranked']) {
        const hits = await page.$$(`#lists .list[data-mode="${mode}"] li.hit`);
        expect(hits.length, mode).toBeGreaterThan(0);
      }
      const marked = await page.$$eval('#lists mark', (marks) =>
        marks.map((mark) => mark.textContent?.toLowerCase()),
      );
      expect(marked.length).toBeGreaterThan(0);
      expect(await page.$$('#timings .timing')).not.toHaveLength(0);
      await page.screenshot({ path: shot('search'), fullPage: true });
    });

    it.skipIf(REAL)('shows escaped passage text as text: only the marks are HTML', async () => {
      await page.$eval('#query', (input) => {
        (input as HTMLInputElement).value = '';
      });
      await page.type('#query', 'harpooneer');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() =>
        document.querySelector('#lists')?.textContent?.includes('<b>not bold</b>'),
      );
      expect(await page.$$('#lists b')).toHaveLength(0);
      expect(
        await page.$$eval('#lists mark', (marks) => marks.map((mark) => mark.textContent)),
      ).toContain('harpooneer');
      await page.$eval('#query', (input) => {
        (input as HTMLInputElement).value = '';
      });
      await page.type('#query', QUERY);
    });

    it('shows one list when a mode is chosen', async () => {
      await page.select('#mode', 'bm25');
      await page.click('#search');
      await page.waitForFunction(() => document.querySelectorAll('#lists .list').length === 1);
      expect(await listModes()).toEqual(['bm25']);
      await page.select('#mode', '');
    });

    it('streams the answer token by token, then shows the decoding statistics', async () => {
      // Record, in the page, when each token reaches the answer and when the statistics appear.
      await page.evaluate(() => {
        const log: { kind: 'token' | 'stats'; at: number }[] = [];
        (window as unknown as { streamLog: typeof log }).streamLog = log;
        const observer = new MutationObserver((records) => {
          for (const record of records) {
            if (record.addedNodes.length === 0) continue;
            log.push({
              kind: record.target === document.querySelector('#answer') ? 'token' : 'stats',
              at: performance.now(),
            });
          }
        });
        observer.observe(document.querySelector('#answer')!, { childList: true });
        observer.observe(document.querySelector('#decoding')!, { childList: true });
      });
      await page.click('#ask');
      await page.waitForSelector('#decoding dt', { timeout: 60_000 });
      const log = await page.evaluate(
        () => (window as unknown as { streamLog: { kind: string; at: number }[] }).streamLog,
      );
      const tokenTimes = log.filter((entry) => entry.kind === 'token').map((entry) => entry.at);
      const statsAt = log.find((entry) => entry.kind === 'stats')!.at;
      expect(tokenTimes.length).toBeGreaterThan(1);
      expect(Math.max(...tokenTimes)).toBeLessThanOrEqual(statsAt);
      // The fake waits 40 ms per token: the first token shows long before the statistics.
      if (!REAL) expect(statsAt - tokenTimes[0]!).toBeGreaterThan(200);
      expect(
        (await page.$eval('#answer', (node) => node.textContent ?? '')).length,
      ).toBeGreaterThan(0);
      const stats = await page.$$eval('#decoding dt, #decoding dd', (nodes) =>
        nodes.map((node) => node.textContent),
      );
      const tokens = Number(stats[stats.indexOf('tokens') + 1]);
      expect(tokens).toBeGreaterThan(0);
      expect(stats).toContain('tokens/s');
      expect(stats).toContain('accepted per step');
      const stages = await page.$$eval('#timings .stage', (nodes) =>
        nodes.map((node) => node.textContent),
      );
      expect(stages).toContain('decoding');
      expect(await page.$eval('#answer', (node) => node.getAttribute('aria-live'))).toBe('polite');
      expect(await page.$eval('#stop', (node) => (node as HTMLButtonElement).disabled)).toBe(true);
      await page.screenshot({ path: shot('ask'), fullPage: true });
    });

    it('stops a generation with the Stop button', async () => {
      // The real model may finish a short answer before the click lands: slow the stream down.
      if (REAL) await page.emulateNetworkConditions({ download: 400, upload: 100_000, latency: 0 });
      await page.click('#ask');
      await page.waitForFunction(
        () => (document.querySelector('#answer')?.textContent ?? '').length > 0,
      );
      if (pipeline instanceof FakePipeline) pipeline.pause(); // the answer cannot finish before the click
      await page.click('#stop');
      await page.waitForFunction(() =>
        document.querySelector('#decoding')?.textContent?.includes('stopped'),
      );
      expect(await page.$eval('#ask', (node) => (node as HTMLButtonElement).disabled)).toBe(false);
      if (pipeline instanceof FakePipeline) {
        const fake = pipeline;
        await waitFor(() => fake.asks.at(-1)?.finished === true);
        expect(fake.asks.at(-1)?.aborted).toBe(true);
        fake.resume();
      }
      if (REAL) await page.emulateNetworkConditions(null);
      await page.screenshot({ path: shot('stopped'), fullPage: true });
    });

    it('loaded nothing from outside its own server and threw no page errors', () => {
      expect(offOrigin).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });
}
