/**
 * Size budgets: the minified + gzip size of each public package's main entry
 * as a browser bundle (esbuild, `platform: 'browser'`, everything the entry
 * imports included, optional peer dependencies left out), the WebAssembly
 * modules counted because they are embedded in the JavaScript as base64.
 * The budget sits in each package's manifest (`"sizeBudget": { "gzipBytes": N }`);
 * a bundle over its budget warns, more than 10% over fails.
 *
 *   npm run size [-- --write]
 *
 * builds the packages (turbo, cached), measures every public workspace's
 * built `dist/` and checks the budgets and the root README's package table
 * (size, budget and version cells; one row per workspace). `--write` rewrites
 * those cells. `npm run release:check` measures the same bundles in projects
 * that installed the packages from a registry.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { type Manifest, publicWorkspaces, repositoryRoot } from './workspace.js';

/** One measured bundle. */
export interface BundleSize {
  name: string;
  minifiedBytes: number;
  gzipBytes: number;
  /** Bytes of embedded WebAssembly (base64 strings that decode to a module starting with \0asm). */
  wasmBytes: number;
  budgetBytes: number | null;
  verdict: 'ok' | 'over budget (within 10%)' | 'FAIL: over budget by more than 10%' | 'no budget';
}

/** The verdict for a measured size against a budget. */
export function budgetVerdict(
  gzipBytes: number,
  budgetBytes: number | null,
): BundleSize['verdict'] {
  if (budgetBytes === null) return 'no budget';
  if (gzipBytes <= budgetBytes) return 'ok';
  if (gzipBytes <= budgetBytes * 1.1) return 'over budget (within 10%)';
  return 'FAIL: over budget by more than 10%';
}

/** Bytes of WebAssembly embedded as base64 in a bundle. */
export function embeddedWasmBytes(code: string): number {
  let total = 0;
  // "AGFzbQ" is the base64 of "\0asm"; a module may be split into an array of string literals
  for (const match of code.matchAll(
    /AGFzbQ[A-Za-z0-9+/=]*(?:["'`]\s*,\s*["'`][A-Za-z0-9+/=]+)*/g,
  )) {
    const base64 = match[0].replace(/["'`\s,]/g, '').replace(/=+$/, '');
    total += Math.floor((base64.length * 3) / 4);
  }
  return total;
}

/**
 * Bundles `import * from name` as resolved from `resolveDir` (a project that
 * installed it, or the repository for the built workspaces), minified for a
 * browser, and measures it.
 */
export async function measureBundle(
  name: string,
  manifest: Manifest,
  resolveDir: string,
): Promise<BundleSize> {
  const optionalPeers = Object.entries(manifest.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([peer]) => peer);
  const result = await build({
    stdin: { contents: `export * from '${name}';`, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: optionalPeers,
    write: false,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]!.contents;
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  const budgetBytes = manifest.sizeBudget?.gzipBytes ?? null;
  return {
    name,
    minifiedBytes: code.length,
    gzipBytes,
    wasmBytes: embeddedWasmBytes(new TextDecoder().decode(code)),
    budgetBytes,
    verdict: budgetVerdict(gzipBytes, budgetBytes),
  };
}

/** "12.3 kB" (1 kB = 1000 bytes, as npm and bundlephobia count). */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

const tableStart = '<!-- packages:start -->';
const tableEnd = '<!-- packages:end -->';

/**
 * Checks (or with `write`, rewrites) the size and version cells of the root
 * README's package table: one row per public workspace (first cell links the
 * package), its size cell `N kB (budget M kB)` within 10% of the measured
 * size and naming the manifest's budget, its version cell the manifest's
 * version. Returns the problems found (none after a write).
 */
export function checkReadmeTable(
  readme: string,
  sizes: readonly BundleSize[],
  versions: ReadonlyMap<string, string>,
  write: boolean,
): { readme: string; problems: string[] } {
  const start = readme.indexOf(tableStart);
  const end = readme.indexOf(tableEnd);
  if (start < 0 || end < start)
    return { readme, problems: [`README.md: no ${tableStart} ... ${tableEnd} package table`] };
  const lines = readme.slice(start, end).split('\n');
  const header = lines.find((line) => line.startsWith('|'))!;
  const columns = header
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());
  const sizeColumn = columns.findIndex((c) => c.startsWith('min+gzip'));
  const versionColumn = columns.indexOf('version');
  const problems: string[] = [];
  if (sizeColumn < 0 || versionColumn < 0)
    problems.push('README.md package table: needs "min+gzip ..." and "version" columns');
  const seen = new Set<string>();
  const rewritten = lines.map((line) => {
    if (!line.startsWith('|') || sizeColumn < 0 || versionColumn < 0) return line;
    const cells = line.split('|').slice(1, -1);
    const name = /`(@x\/[\w-]+)`/.exec(cells[0] ?? '')?.[1];
    const size = sizes.find((s) => s.name === name);
    if (!name || !size) return line;
    seen.add(name);
    const budget =
      size.budgetBytes === null ? 'no budget' : `budget ${kilobytes(size.budgetBytes)}`;
    const wanted = `${kilobytes(size.gzipBytes)} (${budget})`;
    const shown = /([\d.]+) kB \((budget [\d.]+ kB|no budget)\)/.exec(cells[sizeColumn]!);
    const shownBytes = shown ? Number(shown[1]) * 1000 : Number.NaN;
    if (!write) {
      if (
        !shown ||
        Math.abs(shownBytes - size.gzipBytes) > 0.1 * size.gzipBytes ||
        shown[2] !== budget
      )
        problems.push(
          `README.md: ${name} size shows "${cells[sizeColumn]!.trim()}", measured ${wanted} (npm run size -- --write)`,
        );
      if (cells[versionColumn]!.trim() !== `\`${versions.get(name)}\``)
        problems.push(
          `README.md: ${name} version shows ${cells[versionColumn]!.trim()}, package.json has ${versions.get(name)} (npm run size -- --write)`,
        );
      return line;
    }
    cells[sizeColumn] = ` ${wanted} `;
    cells[versionColumn] = ` \`${versions.get(name)}\` `;
    return `|${cells.join('|')}|`;
  });
  for (const size of sizes) {
    if (!seen.has(size.name))
      problems.push(`README.md: the package table has no row for ${size.name}`);
  }
  return {
    readme: readme.slice(0, start) + rewritten.join('\n') + readme.slice(end),
    problems: write ? problems.filter((p) => p.includes('no row')) : problems,
  };
}

/** Prints one table of sizes and returns whether every budget held within 10%. */
export function printSizes(sizes: readonly BundleSize[]): boolean {
  console.log('| package | minified | min+gzip | embedded wasm | budget | verdict |');
  console.log('|---|---:|---:|---:|---:|---|');
  for (const s of sizes) {
    console.log(
      `| ${s.name} | ${kilobytes(s.minifiedBytes)} | ${kilobytes(s.gzipBytes)} | ${kilobytes(s.wasmBytes)} | ${s.budgetBytes === null ? '-' : kilobytes(s.budgetBytes)} | ${s.verdict} |`,
    );
  }
  return sizes.every((s) => !s.verdict.startsWith('FAIL'));
}

async function main() {
  const write = process.argv.includes('--write');
  execFileSync('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: repositoryRoot,
    stdio: 'inherit',
  });
  const workspaces = publicWorkspaces();
  const sizes: BundleSize[] = [];
  // resolved from the root without the `@x/source` condition: each package's built dist/
  for (const workspace of workspaces) {
    sizes.push(await measureBundle(workspace.manifest.name, workspace.manifest, repositoryRoot));
  }
  const budgetsHeld = printSizes(sizes);
  const readmePath = join(repositoryRoot, 'README.md');
  const versions = new Map(workspaces.map((w) => [w.manifest.name, w.manifest.version]));
  const table = checkReadmeTable(readFileSync(readmePath, 'utf8'), sizes, versions, write);
  if (write) writeFileSync(readmePath, table.readme);
  for (const problem of table.problems) console.error(problem);
  for (const s of sizes.filter((s) => s.verdict === 'no budget'))
    console.error(`${s.name}: no "sizeBudget": { "gzipBytes": N } in its package.json`);
  console.log(
    JSON.stringify({
      size: 'checked',
      packages: sizes.length,
      ok: budgetsHeld && table.problems.length === 0,
    }),
  );
  process.exit(budgetsHeld && table.problems.length === 0 ? 0 : 1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
