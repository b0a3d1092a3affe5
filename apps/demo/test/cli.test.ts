/**
 * The x-demo command as a user runs it (the bin, in a child process): errors are one
 * line and exit code 1, never a stack trace; a damaged snapshot is named and
 * `index --rebuild` recovers; `search` prints the four lists.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/ingest.js';

const bin = fileURLToPath(new URL('../bin/x-demo.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'x-demo-cli-'));
const corpus = join(dir, 'corpus.jsonl');
const dataDir = join(dir, 'data');

function xDemo(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [bin, ...args, '--corpus', corpus, '--data-dir', dataDir, '--dims', '32'],
    {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', X_DEBUG: '' },
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  const speeches = loadCorpus().passages.slice(0, 300);
  writeFileSync(
    corpus,
    speeches.map((p) => JSON.stringify({ _id: p.id, title: p.title, text: p.text })).join('\n'),
  );
});

describe('x-demo', () => {
  it('indexes, reuses, and searches with the four lists side by side', () => {
    const first = xDemo('index');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/indexed 300 passages of corpus\.jsonl/);
    expect(first.stderr).toMatch(/indexing: no index yet/);
    expect(xDemo('index').stdout).toMatch(/reused 300 passages/);
    const search = xDemo('search', 'the citizens and the corn', '-k', '3');
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/#\s+BM25\s+LSA vectors\s+fused\s+ranked/);
    expect(search.stdout).toMatch(/\[corn\]/);
    expect(search.stdout).toMatch(/timings: analysis/);
  });

  it.each([
    [['search', ''], /^x-demo: the query is empty\n$/],
    [['search', 'love AND (war'], /^x-demo: query syntax error/],
    [['search', 'love', '-k', '0'], /k must be an integer from 1 to 100, got 0/],
    [['search', 'love', '--mode', 'semantic'], /Allowed choices are bm25, vector, hybrid, ranked/],
    [['index', '/no/such/folder'], /^x-demo: corpus folder not found: \/no\/such\/folder\n$/],
  ])('%j fails with one line, exit code 1, no stack', (args, message) => {
    const { code, stderr } = xDemo(...(args as string[]));
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names a corrupted snapshot, and index --rebuild recovers', () => {
    expect(xDemo('index').code).toBe(0);
    const snapshot = join(dataDir, 'bm25.snapshot');
    const bytes = readFileSync(snapshot);
    writeFileSync(snapshot, bytes.subarray(0, bytes.length - 100));
    const broken = xDemo('search', 'corn');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /truncated or corrupted .*bm25\.snapshot.*x-demo index --rebuild/,
    );
    expect(xDemo('index', '--rebuild').stdout).toMatch(/indexed 300 passages/);
    expect(xDemo('search', 'corn', '-k', '1').code).toBe(0);
  });
});
