/**
 * `npm run release:check`: a real publish to a throw-away registry, and every
 * package installed alone from it and run from its README. Changes nothing in
 * this checkout.
 *
 * 1. Builds every workspace and runs publint and @arethetypeswrong/cli on each
 *    (`turbo run check:package`); packs each public one (`npm pack --dry-run`)
 *    and checks that its tarball holds dist/, src/ (no tests), README.md,
 *    CHANGELOG.md, LICENSE and package.json and nothing else.
 * 2. Copies the repository (built dist/ included, no node_modules or .git) to
 *    a scratch folder and runs `changeset version` there: the versions and
 *    CHANGELOG entries a release would get. Every internal dependency range
 *    must be a real range (no `*`, no `workspace:`) that the new version of
 *    its target satisfies, and every CHANGELOG must have the new version's
 *    entry.
 * 3. Starts verdaccio (registry.ts) and publishes every public package from
 *    the scratch copy with `npm publish`.
 * 4. For each public package: a fresh project in a temporary folder installs
 *    `name@version` alone (`@x/*` from the local registry, other
 *    dependencies from the default one), runs its README's first example
 *    unchanged with tsx and compares the output with the README's
 *    (readme-example.ts); bundles the same file with esbuild for a browser
 *    and runs it in headless Chromium (`/usr/bin/chromium` or --chrome PATH),
 *    compared the same way; measures the main entry's minified + gzip browser
 *    bundle against the package's budget (size.ts).
 * 5. Stops the registry, deletes the temporary folders, prints a table and
 *    one JSON line; exits 1 on any failure.
 *
 *   npm run release:check [-- --strict] [--no-browser] [--chrome PATH] [--keep]
 *
 * A public package whose README has no example is listed as such (a warning;
 * with --strict, a failure). A package whose example imports `node:*` or a
 * `/node` entry skips the browser run. Private workspaces (apps/demo) are not
 * published and not checked here; their README examples run in `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import semver from 'semver';
import { runExampleInBrowser } from './browser-example.js';
import { compareOutput, readmeExample } from './readme-example.js';
import { type LocalRegistry, startRegistry } from './registry.js';
import { exampleFileName, runExample } from './run-example.js';
import { type BundleSize, checkReadmeTable, kilobytes, measureBundle } from './size.js';
import { type Manifest, publicWorkspaces, repositoryRoot, type Workspace } from './workspace.js';

const argv = process.argv.slice(2);
const strict = argv.includes('--strict');
const withBrowser = !argv.includes('--no-browser');
const keep = argv.includes('--keep');
const chromeArgument = argv.indexOf('--chrome');
const chromePath = chromeArgument >= 0 ? argv[chromeArgument + 1]! : '/usr/bin/chromium';

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const step = (text: string) => console.log(`\n[release:check ${seconds()} s] ${text}`);
const problems: string[] = [];
const warnings: string[] = [];
const temporary: string[] = [];

/** npm's own environment from `npm run` would leak into the fresh projects' npm: drop it. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && key.toLowerCase() !== 'npm_config_cache') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', NODE_OPTIONS: '' };
}

function run(command: string, args: string[], cwd: string, quiet = false): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: cleanEnvironment(),
    stdio: quiet ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

// ---------------------------------------------------------------- 1. build and pack
const workspaces = publicWorkspaces();
step(`build, publint, attw: ${workspaces.map((w) => w.manifest.name).join(', ')}`);
execFileSync('npx', ['turbo', 'run', 'check:package', '--output-logs=errors-only'], {
  cwd: repositoryRoot,
  stdio: 'inherit',
});

/** Shipped data folders a manifest lists in `files` (bundled weights, CLI entry points) beside dist/ and src/. */
const shippedFolders = (manifest: { files?: string[] }) =>
  (manifest.files ?? []).filter((f) => ['bin', 'models', 'heads'].includes(f)).map((f) => `${f}/`);
const allowedInTarball = (path: string, folders: string[]) =>
  ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(path) ||
  path.startsWith('dist/') ||
  folders.some((folder) => path.startsWith(folder)) ||
  (path.startsWith('src/') && !/\.test\.ts$/.test(path));
step('tarball contents (npm pack --dry-run)');
for (const { dir, manifest } of workspaces) {
  const [report] = JSON.parse(
    run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir, true),
  ) as { files: { path: string }[]; size: number; unpackedSize: number }[];
  const files = report!.files.map((f) => f.path);
  const folders = shippedFolders(manifest as { files?: string[] });
  const extra = files.filter((f) => !allowedInTarball(f, folders));
  if (extra.length > 0)
    problems.push(`${manifest.name}: unexpected files in the tarball: ${extra.join(', ')}`);
  for (const required of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (!files.includes(required))
      problems.push(`${manifest.name}: ${required} is missing from the tarball`);
  }
  if (!files.some((f) => f.startsWith('dist/')))
    problems.push(`${manifest.name}: no dist/ in the tarball`);
  console.log(
    `${manifest.name}: ${files.length} files, ${kilobytes(report!.size)} packed, ${kilobytes(report!.unpackedSize)} unpacked`,
  );
}

// ---------------------------------------------------------------- 2. changeset version on a scratch copy
step('changeset version on a scratch copy');
const scratch = mkdtempSync(join(tmpdir(), 'x-release-'));
temporary.push(scratch);
cpSync(repositoryRoot, scratch, {
  recursive: true,
  filter: (source) =>
    !/[/\\](node_modules|\.git|\.turbo|\.readme-check|coverage)([/\\]|$)/.test(
      source.slice(repositoryRoot.length),
    ),
});
execFileSync(join(repositoryRoot, 'node_modules', '.bin', 'changeset'), ['version'], {
  cwd: scratch,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...cleanEnvironment(), NODE_PATH: join(repositoryRoot, 'node_modules') },
});
const released = new Map<string, Manifest>();
for (const { relativeDir, manifest } of workspaces) {
  const after = JSON.parse(
    readFileSync(join(scratch, relativeDir, 'package.json'), 'utf8'),
  ) as Manifest;
  released.set(manifest.name, after);
  console.log(`${manifest.name}: ${manifest.version} -> ${after.version}`);
  if (semver.lt(after.version, '0.1.0'))
    warnings.push(
      `${manifest.name}: would be released as ${after.version} (no changeset of its own; the first release is 0.1.0)`,
    );
  const changelog = readFileSync(join(scratch, relativeDir, 'CHANGELOG.md'), 'utf8');
  if (!changelog.includes(`## ${after.version}`))
    problems.push(
      `${manifest.name}: CHANGELOG.md has no "## ${after.version}" entry after changeset version`,
    );
}
for (const [name, after] of released) {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
    for (const [dependency, range] of Object.entries(
      (after[field] ?? {}) as Record<string, string>,
    )) {
      if (!dependency.startsWith('@x/')) continue;
      const target = released.get(dependency);
      if (range === '*' || range.startsWith('workspace:') || semver.validRange(range) === null)
        problems.push(
          `${name}: ${field} ${dependency} "${range}" is not a range a user's npm resolves`,
        );
      else if (!target) problems.push(`${name}: ${field} ${dependency} is not a public workspace`);
      else if (!semver.satisfies(target.version, range))
        problems.push(
          `${name}: ${field} ${dependency} "${range}" excludes the released ${target.version}`,
        );
    }
  }
}

// ---------------------------------------------------------------- 3. publish to a local registry
let registry: LocalRegistry | null = null;
let browser: Browser | null = null;
type Row = {
  name: string;
  version: string;
  install: string;
  node: string;
  browser: string;
  size: BundleSize | null;
};
const rows: Row[] = [];

async function checkPackage(workspace: Workspace, version: string): Promise<Row> {
  const { manifest, dir } = workspace;
  const row: Row = {
    name: manifest.name,
    version,
    install: '-',
    node: '-',
    browser: '-',
    size: null,
  };
  const readmePath = join(dir, 'README.md');
  const example = existsSync(readmePath) ? readmeExample(readFileSync(readmePath, 'utf8')) : null;
  const project = mkdtempSync(join(tmpdir(), `x-install-${manifest.name.slice(3)}-`));
  temporary.push(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'release-check-project', private: true, type: 'module' }, null, 2)}\n`,
  );
  writeFileSync(join(project, '.npmrc'), registry!.npmrc);
  const installStarted = performance.now();
  try {
    run(
      'npm',
      [
        'install',
        `${manifest.name}@${version}`,
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
      ],
      project,
      true,
    );
    row.install = `ok ${((performance.now() - installStarted) / 1000).toFixed(1)} s`;
  } catch (error) {
    row.install = 'FAIL';
    problems.push(
      `${manifest.name}@${version}: npm install failed: ${(error as { stderr?: string }).stderr ?? error}`,
    );
    return row;
  }
  try {
    row.size = await measureBundle(manifest.name, manifest, project);
    if (row.size.verdict.startsWith('FAIL'))
      problems.push(
        `${manifest.name}: ${kilobytes(row.size.gzipBytes)} min+gzip, budget ${kilobytes(row.size.budgetBytes!)}: ${row.size.verdict}`,
      );
    else if (row.size.verdict !== 'ok') warnings.push(`${manifest.name}: size ${row.size.verdict}`);
  } catch (error) {
    problems.push(`${manifest.name}: the main entry does not bundle for a browser: ${error}`);
  }
  if (!example) {
    row.node = row.browser = 'no example';
    (strict ? problems : warnings).push(`${manifest.name}: its README has no ts/js example`);
    return row;
  }
  const nodeRun = await runExample(project, example.code, example.language);
  if (nodeRun.exitCode !== 0) {
    row.node = 'FAIL';
    problems.push(
      `${manifest.name}: the README example failed in Node:\n${nodeRun.stderr.slice(-3000)}`,
    );
  } else {
    const difference =
      example.expected === null
        ? null
        : compareOutput(example.expected, nodeRun.stdout, example.tolerances);
    row.node = difference === null ? `ok ${nodeRun.seconds.toFixed(1)} s` : 'FAIL (output)';
    if (difference !== null)
      problems.push(
        `${manifest.name}: Node output differs from the README: ${difference}\nprinted:\n${nodeRun.stdout}`,
      );
    if (example.expected === null) row.node += ' (no output shown)';
  }
  if (example.nodeOnly) row.browser = 'node-only example';
  else if (browser) {
    const page = await runExampleInBrowser(
      browser,
      project,
      join(project, exampleFileName(example.language)),
    ).catch((error: Error) => ({
      output: '',
      error: `bundling failed: ${error.message}`,
      seconds: 0,
    }));
    if (page.error !== null) {
      row.browser = 'FAIL';
      problems.push(
        `${manifest.name}: the README example failed in Chromium: ${page.error.slice(0, 3000)}`,
      );
    } else {
      const difference =
        example.expected === null
          ? null
          : compareOutput(example.expected, page.output, example.tolerances);
      row.browser = difference === null ? `ok ${page.seconds.toFixed(1)} s` : 'FAIL (output)';
      if (difference !== null)
        problems.push(
          `${manifest.name}: Chromium output differs from the README: ${difference}\nprinted:\n${page.output}`,
        );
    }
  }
  return row;
}

async function cleanUp() {
  await browser?.close().catch(() => {});
  await registry?.stop().catch(() => {});
  if (!keep) for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
  else console.log(`kept: ${temporary.join(' ')}`);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().then(() => process.exit(130));
  });
}

try {
  step('verdaccio on a loopback port, storage in a temporary folder');
  registry = await startRegistry();
  console.log(`registry ${registry.url}`);
  const npmrc = join(registry.folder, 'publish.npmrc');
  writeFileSync(npmrc, `registry=${registry.url}/\n${registry.npmrc}`);
  step('npm publish from the scratch copy');
  for (const { relativeDir, manifest } of workspaces) {
    run(
      'npm',
      [
        'publish',
        '--userconfig',
        npmrc,
        '--ignore-scripts',
        '--access',
        'public',
        '--loglevel=error',
      ],
      join(scratch, relativeDir),
      true,
    );
    console.log(`published ${manifest.name}@${released.get(manifest.name)!.version}`);
  }
  if (withBrowser) {
    if (existsSync(chromePath)) {
      browser = await puppeteer.launch({
        browser: 'chrome',
        executablePath: chromePath,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
      });
      console.log(`browser: ${await browser.version()}`);
    } else problems.push(`no Chromium at ${chromePath} (--chrome PATH, or --no-browser)`);
  }
  for (const workspace of workspaces) {
    const version = released.get(workspace.manifest.name)!.version;
    step(
      `${workspace.manifest.name}@${version}: fresh install, README example in Node and Chromium, size`,
    );
    rows.push(await checkPackage(workspace, version));
    const row = rows.at(-1)!;
    console.log(`install ${row.install}; node ${row.node}; browser ${row.browser}`);
  }
} catch (error) {
  problems.push(`release check stopped: ${(error as Error).stack ?? error}`);
} finally {
  await cleanUp();
}

// the root README's package table shows these sizes (within 10%) and the tree's versions
const measured = rows.map((row) => row.size).filter((size): size is BundleSize => size !== null);
if (measured.length === workspaces.length) {
  const table = checkReadmeTable(
    readFileSync(join(repositoryRoot, 'README.md'), 'utf8'),
    measured,
    new Map(workspaces.map((w) => [w.manifest.name, w.manifest.version])),
    false,
  );
  problems.push(...table.problems);
}

console.log(
  '\n| package | version | install | README example in Node | in Chromium | min+gzip (budget) |',
);
console.log('|---|---|---|---|---|---|');
for (const row of rows) {
  const size = row.size
    ? `${kilobytes(row.size.gzipBytes)} (${row.size.budgetBytes === null ? 'no budget' : kilobytes(row.size.budgetBytes)})`
    : '-';
  console.log(
    `| ${row.name} | ${row.version} | ${row.install} | ${row.node} | ${row.browser} | ${size} |`,
  );
}
for (const warning of warnings) console.log(`warning: ${warning}`);
for (const problem of problems) console.error(`PROBLEM: ${problem}`);
console.log(
  JSON.stringify({
    release: 'check',
    packages: rows.length,
    problems: problems.length,
    warnings: warnings.length,
    seconds: Number(seconds()),
    ok: problems.length === 0,
  }),
);
process.exit(problems.length === 0 ? 0 : 1);
