/**
 * The main entry must run in browsers: no module outside src/node (and the
 * tests) may import a Node.js built-in.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('.', import.meta.url));

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node' || entry.name === '__fixtures__' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

it('no browser-entry module imports a Node.js built-in', () => {
  const offenders = sources(root).filter((path) =>
    /from ['"]node:|require\(/.test(readFileSync(path, 'utf8')),
  );
  expect(offenders.map((path) => relative(root, path))).toEqual([]);
  expect(sources(root).length).toBeGreaterThan(20);
});
