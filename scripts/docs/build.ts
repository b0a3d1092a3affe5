/**
 * `npm run docs`: the TypeDoc API reference of every public workspace as one
 * site, one section per package (its README as the section's front page,
 * every entry point of its `exports` map as a module, the `@example` blocks
 * of the doc comments rendered with the functions), written to `site/api/`
 * (git-ignored); then the link check (link-check.ts) over the site and every
 * README and Markdown page of the repository.
 *
 *   npm run docs [-- --no-check]
 *
 * Each package is converted on its own (its tsconfig, its entry points, read
 * from the `@x/source` condition of each `exports` entry) to TypeDoc's JSON,
 * and the JSON files are merged (TypeDoc's `merge` entry point strategy), so
 * a new workspace is documented without editing anything here.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Application, LogLevel, type TypeDocOptions } from 'typedoc';
import { publicWorkspaces, repositoryRoot, type Workspace } from '../release/workspace.js';
import { checkLinks } from './link-check.js';

/** Where the site goes. */
export const siteRoot = join(repositoryRoot, 'site');
export const apiRoot = join(siteRoot, 'api');

/** The source file of each public entry point (`exports[*]['@x/source']`), `./package.json` left out. */
export function entryPoints(workspace: Workspace): string[] {
  const entries: string[] = [];
  for (const [subpath, target] of Object.entries(workspace.manifest.exports ?? {})) {
    if (subpath === './package.json' || typeof target !== 'object' || target === null) continue;
    const source = (target as Record<string, string>)['@x/source'];
    if (source) entries.push(join(workspace.dir, source));
  }
  return entries;
}

const shared: Partial<TypeDocOptions> = {
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  logLevel: LogLevel.Error,
  skipErrorChecking: true,
  validation: { notExported: false, invalidLink: true, notDocumented: false, rewrittenLink: true },
};

async function convertPackage(workspace: Workspace, out: string): Promise<string> {
  const app = await Application.bootstrapWithPlugins({
    ...shared,
    name: workspace.manifest.name,
    entryPoints: entryPoints(workspace),
    tsconfig: join(workspace.dir, 'tsconfig.json'),
    readme: join(workspace.dir, 'README.md'),
    includeVersion: true,
  });
  const project = await app.convert();
  if (!project) throw new Error(`typedoc could not convert ${workspace.manifest.name}`);
  const json = join(out, `${workspace.manifest.name.replace('/', '__')}.json`);
  await app.generateJson(project, json);
  return json;
}

/** Builds the whole site; returns its folder. */
export async function buildSite(): Promise<string> {
  const json = join(siteRoot, '.json');
  rmSync(siteRoot, { recursive: true, force: true });
  mkdirSync(json, { recursive: true });
  const files: string[] = [];
  for (const workspace of publicWorkspaces()) {
    const started = performance.now();
    files.push(await convertPackage(workspace, json));
    console.log(
      `docs: ${workspace.manifest.name} (${entryPoints(workspace).length} entry points) ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const app = await Application.bootstrapWithPlugins({
    ...shared,
    name: 'x toolkit API reference',
    entryPointStrategy: 'merge',
    entryPoints: files,
    readme: join(repositoryRoot, 'docs', 'api-reference.md'),
    out: apiRoot,
    githubPages: false,
  });
  const project = await app.convert();
  if (!project) throw new Error('typedoc could not merge the packages');
  await app.generateDocs(project, apiRoot);
  rmSync(json, { recursive: true, force: true });
  if (app.logger.hasErrors()) throw new Error('typedoc reported errors');
  return apiRoot;
}

if (process.argv[1]?.endsWith('build.ts')) {
  const started = performance.now();
  await buildSite();
  console.log(`docs: site/api built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!process.argv.includes('--no-check')) {
    const problems = checkLinks();
    for (const problem of problems) console.error(`dead link: ${problem}`);
    console.log(
      JSON.stringify({ docs: 'built', deadLinks: problems.length, ok: problems.length === 0 }),
    );
    process.exit(problems.length === 0 ? 0 : 1);
  }
}
