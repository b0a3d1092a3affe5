/**
 * The workspace list, read from the root `package.json`'s `workspaces`
 * globs (`packages/*`, `apps/*`), so that every script that walks the
 * packages (release check, docs, size budgets, README examples) covers a new
 * package without being edited.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two folders above this file). */
export const repositoryRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The fields of a workspace manifest that the release scripts read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  files?: string[];
  /** Minified + gzip budget of the main entry as a browser bundle (see scripts/release/size.ts). */
  sizeBudget?: { gzipBytes: number };
  [field: string]: unknown;
}

/** One workspace: its folder (absolute and relative to the root) and manifest. */
export interface Workspace {
  dir: string;
  relativeDir: string;
  manifest: Manifest;
}

/** Every workspace of the root manifest's `workspaces` globs, sorted by folder. */
export function listWorkspaces(root = repositoryRoot): Workspace[] {
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  const dirs: string[] = [];
  for (const pattern of rootManifest.workspaces ?? []) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) dirs.push(join(pattern.slice(0, -2), entry.name));
      }
    } else if (!pattern.includes('*')) {
      dirs.push(pattern);
    } else {
      throw new Error(`workspace pattern ${pattern}: only "dir/*" and plain paths are supported`);
    }
  }
  return dirs
    .filter((relativeDir) => existsSync(join(root, relativeDir, 'package.json')))
    .sort()
    .map((relativeDir) => ({
      dir: join(root, relativeDir),
      relativeDir,
      manifest: JSON.parse(readFileSync(join(root, relativeDir, 'package.json'), 'utf8')),
    }));
}

/** The workspaces that npm would publish (no `"private": true`). */
export function publicWorkspaces(root = repositoryRoot): Workspace[] {
  return listWorkspaces(root).filter((workspace) => !workspace.manifest.private);
}

const rootRepository = (
  JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
    repository: { url: string };
  }
).repository.url;

/** The repository's web address, from the root manifest's `repository` (no `git+`, no `.git`). */
export const repositoryUrl = rootRepository.replace(/^git\+/, '').replace(/\.git$/, '');

/** The API reference's address: the repository's GitHub Pages site, `api/` (built by `npm run docs`). */
export const apiReferenceUrl = (() => {
  const [, owner, name] = /github\.com\/([^/]+)\/([^/]+)$/.exec(repositoryUrl) ?? [];
  return `https://${owner}.github.io/${name}/api/`;
})();
