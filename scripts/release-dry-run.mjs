#!/usr/bin/env node
/**
 * `npm run release`: a publish dry run that changes nothing here.
 *
 * 1. Builds every package (turbo, tsup) and runs publint and
 *    @arethetypeswrong/cli on each (`check:package`).
 * 2. Packs every public package (`npm pack --dry-run --json`) and checks that
 *    each tarball holds only dist/, src/ (no tests), README.md, CHANGELOG.md
 *    and package.json, and that README and dist are there.
 * 3. Runs `changeset version` on a scratch copy of the repository and prints
 *    the versions a release would publish.
 * Exits non-zero on the first problem.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
const capture = (command, args, cwd = root) =>
  execFileSync(command, args, { cwd, encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private);

console.log(`release dry run: ${packages.map((p) => p.manifest.name).join(', ')}`);
run('npx', ['turbo', 'run', 'check:package', '--output-logs=errors-only']);

const allowed = (path) =>
  path === 'package.json' ||
  path === 'README.md' ||
  path === 'CHANGELOG.md' ||
  path.startsWith('dist/') ||
  (path.startsWith('src/') && !/\.test\.ts$/.test(path));
const problems = [];
for (const { dir, manifest } of packages) {
  const [report] = JSON.parse(
    capture('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir),
  );
  const files = report.files.map((f) => f.path);
  const extra = files.filter((f) => !allowed(f));
  if (extra.length > 0)
    problems.push(`${manifest.name}: unexpected files in the tarball: ${extra.join(', ')}`);
  for (const required of ['package.json', 'README.md', 'CHANGELOG.md']) {
    if (!files.includes(required))
      problems.push(`${manifest.name}: ${required} is missing from the tarball`);
  }
  if (!files.some((f) => f.startsWith('dist/')))
    problems.push(`${manifest.name}: dist/ is missing from the tarball`);
  console.log(
    `${manifest.name}@${manifest.version}: ${files.length} files, ${(report.size / 1024).toFixed(1)} kB packed, ${(report.unpackedSize / 1024).toFixed(1)} kB unpacked`,
  );
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}

const scratch = mkdtempSync(join(tmpdir(), 'x-release-'));
try {
  cpSync(root, scratch, {
    recursive: true,
    filter: (src) =>
      !/[/\\](node_modules|dist|\.turbo|\.git)([/\\]|$)/.test(src.slice(root.length)),
  });
  const changesetBin = join(root, 'node_modules', '.bin', 'changeset');
  execFileSync(changesetBin, ['version'], {
    cwd: scratch,
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
  for (const { dir, manifest } of packages) {
    const after = JSON.parse(
      readFileSync(join(scratch, dir.slice(root.length), 'package.json'), 'utf8'),
    );
    console.log(`${manifest.name}: ${manifest.version} -> ${after.version}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(JSON.stringify({ release: 'dry-run', packages: packages.length, ok: true }));
