/**
 * The link check over the API reference site (`site/api`, built by
 * `npm run docs`) and the repository's Markdown (every workspace's README.md
 * and ARCHITECTURE.md, the root README.md, docs/ and packages' docs/):
 *
 * - a relative link must reach a file or folder that exists, and its
 *   `#anchor` a heading of that Markdown file (GitHub's heading ids) or an
 *   `id` / `name` of that HTML page;
 * - a published README (a public workspace's README.md, shown on npm) has no
 *   relative links at all, only in-page `#anchors` and absolute addresses;
 *   the absolute addresses into this repository (`REPO/blob|tree|raw/main/PATH`)
 *   and into the API reference (`https://OWNER.github.io/NAME/api/PATH`) are
 *   checked against the tree and the built site like relative ones.
 *
 * Code blocks and inline code are not read for links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  apiReferenceUrl,
  listWorkspaces,
  repositoryRoot,
  repositoryUrl,
} from '../release/workspace.js';

/** GitHub's id of a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
export function headingSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The ids of a Markdown file's headings (`-1`, `-2` for repeats) and its explicit `id="..."`s. */
export function markdownAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  // GitHub's own anchor for a README's top
  anchors.add('readme');
  for (const line of stripFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const slug = headingSlug(
        heading[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'),
      );
      const seen = counts.get(slug) ?? 0;
      anchors.add(seen === 0 ? slug : `${slug}-${seen}`);
      counts.set(slug, seen + 1);
    }
    for (const id of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(id[1]!);
  }
  return anchors;
}

/** Markdown with fenced blocks and inline code blanked (links inside code are not links). */
export function stripCode(markdown: string): string {
  return stripFences(markdown).replace(/`[^`\n]*`/g, '``');
}

function stripFences(markdown: string): string {
  return markdown.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n\s*\2[^\n]*$/gm, '');
}

/** Every link target of a Markdown text: `[text](target)`, `![alt](target)`, `<a href>`, `<img src>`. */
export function markdownLinks(markdown: string): string[] {
  const text = stripCode(markdown);
  const links: string[] = [];
  for (const match of text.matchAll(
    /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g,
  ))
    links.push(match[1]!);
  for (const match of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]+)"/g))
    links.push(match[1]!);
  return links;
}

function htmlAnchors(html: string): Set<string> {
  return new Set([...html.matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]!));
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (!anchors) {
    const text = readFileSync(file, 'utf8');
    anchors = file.endsWith('.html') ? htmlAnchors(text) : markdownAnchors(text);
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** A problem with a local target (a path and an optional anchor), or null. */
function checkTarget(path: string, anchor: string | null): string | null {
  if (!existsSync(path)) return `${relative(repositoryRoot, path) || '.'} does not exist`;
  let file = path;
  if (statSync(path).isDirectory()) {
    if (anchor === null) return null;
    file = ['README.md', 'index.html'].map((name) => join(path, name)).find(existsSync) ?? '';
    if (!file)
      return `${relative(repositoryRoot, path)}/ has no README.md or index.html for #${anchor}`;
  }
  if (anchor === null || anchor === '' || !/\.(md|html)$/.test(file)) return null;
  const decoded = decodeURIComponent(anchor);
  return anchorsOf(file).has(decoded) || anchorsOf(file).has(decoded.toLowerCase())
    ? null
    : `${relative(repositoryRoot, file)} has no anchor #${anchor}`;
}

/** Maps an absolute address into the repository or the API site to a local path, or null. */
function localPath(url: string, site: string): string | null {
  const repository = new RegExp(
    `^${repositoryUrl.replace(/[.]/g, '\\.')}/(?:blob|tree|raw)/main/(.*)$`,
  ).exec(url);
  if (repository) return join(repositoryRoot, decodeURIComponent(repository[1]!));
  if (url === repositoryUrl || url === `${repositoryUrl}/`) return repositoryRoot;
  if (url.startsWith(apiReferenceUrl)) {
    const rest = url.slice(apiReferenceUrl.length);
    return join(site, rest === '' ? 'index.html' : decodeURIComponent(rest));
  }
  return null;
}

function checkLink(from: string, link: string, published: boolean, site: string): string | null {
  if (/^(mailto:|javascript:|data:)/.test(link)) return null;
  const [target, anchor = null] = link.split('#') as [string, string | undefined];
  if (/^https?:\/\//.test(link)) {
    const local = localPath(target, site);
    if (local === null) return null; // outside the repository and the site: not checked (no network)
    if (local.startsWith(site) && !existsSync(site)) return null; // the site is not built
    return checkTarget(local, anchor);
  }
  if (target === '') return checkTarget(from, anchor);
  if (published)
    return `relative link "${link}" is dead on npm: use ${repositoryUrl}/blob/main/...`;
  return checkTarget(resolve(dirname(from), target), anchor);
}

function markdownFiles(): { file: string; published: boolean }[] {
  const files: { file: string; published: boolean }[] = [
    { file: join(repositoryRoot, 'README.md'), published: false },
  ];
  const docs = join(repositoryRoot, 'docs');
  if (existsSync(docs))
    for (const name of readdirSync(docs))
      if (name.endsWith('.md')) files.push({ file: join(docs, name), published: false });
  for (const workspace of listWorkspaces()) {
    const published = !workspace.manifest.private;
    for (const name of ['README.md', 'ARCHITECTURE.md'])
      if (existsSync(join(workspace.dir, name)))
        files.push({
          file: join(workspace.dir, name),
          published: published && name === 'README.md',
        });
    const own = join(workspace.dir, 'docs');
    if (existsSync(own))
      for (const name of readdirSync(own))
        if (name.endsWith('.md')) files.push({ file: join(own, name), published: false });
  }
  return files;
}

function htmlFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.html'))
    .map((name) => join(folder, name));
}

/** Every dead link of the Markdown files and of the site (when built), as "file: problem". */
export function checkLinks(site = join(repositoryRoot, 'site', 'api')): string[] {
  const problems: string[] = [];
  for (const { file, published } of markdownFiles()) {
    for (const link of markdownLinks(readFileSync(file, 'utf8'))) {
      const problem = checkLink(file, link, published, site);
      if (problem) problems.push(`${relative(repositoryRoot, file)}: (${link}) ${problem}`);
    }
  }
  for (const file of htmlFiles(site)) {
    const html = readFileSync(file, 'utf8');
    for (const match of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const link = match[1]!.replace(/&amp;/g, '&');
      if (/^https?:\/\//.test(link) || link.startsWith('//')) continue;
      const [target, anchor = null] = link.split('#') as [string, string | undefined];
      const path = target === '' ? file : resolve(dirname(file), target.split('?')[0]!);
      const problem = checkTarget(path, anchor);
      if (problem) problems.push(`${relative(repositoryRoot, file)}: (${link}) ${problem}`);
    }
  }
  return problems;
}

if (process.argv[1]?.endsWith('link-check.ts')) {
  const problems = checkLinks();
  for (const problem of problems) console.error(`dead link: ${problem}`);
  console.log(
    JSON.stringify({ linkCheck: 'done', deadLinks: problems.length, ok: problems.length === 0 }),
  );
  process.exit(problems.length === 0 ? 0 : 1);
}
