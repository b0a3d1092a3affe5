/**
 * The web page's files: `web/index.html` as is, and `web/main.ts` with its CSS bundled
 * by esbuild in memory (`write: false`), once per process. Nothing is fetched from the
 * network: the page works offline.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The three files `GET /` and its assets serve. */
export interface WebAssets {
  html: string;
  script: string;
  style: string;
}

const webDir = fileURLToPath(new URL('../../web/', import.meta.url));

let bundled: Promise<WebAssets> | undefined;

/**
 * Bundles the page (first call) or answers the bundle already made.
 *
 * @returns The page's HTML, JavaScript and CSS.
 * @throws When esbuild cannot be loaded or the page does not compile.
 */
export function webAssets(): Promise<WebAssets> {
  bundled ??= bundleWebAssets();
  bundled.catch(() => {
    bundled = undefined; // a later request retries instead of serving one failure forever
  });
  return bundled;
}

async function bundleWebAssets(): Promise<WebAssets> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [`${webDir}main.ts`, `${webDir}style.css`],
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const pick = (ending: string): string => {
    const file = result.outputFiles.find((output) => output.path.endsWith(ending));
    if (file === undefined) throw new Error(`esbuild produced no ${ending} file`);
    return file.text;
  };
  const html = await readFile(`${webDir}index.html`, 'utf8');
  return { html, script: pick('main.js'), style: pick('style.css') };
}
