/**
 * Reads a corpus: the embedded default (tinyshakespeare's speeches) or a folder of
 * `.txt`, `.md` and `.jsonl` files (BEIR's `corpus.jsonl` as it is: `_id`, `title`,
 * `text`). Files that cannot be read, are not UTF-8 text or hold bad jsonl lines are
 * skipped and reported, never fatal; a folder with no passage at all is a `CorpusError`.
 */
import { type Dirent, readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { CorpusError } from '../errors.js';
import { corpusHash } from './hash.js';
import type { Corpus, Passage } from './passage.js';
import { bundledSpeeches } from './shakespeare.js';
import { splitParagraphs } from './split-text.js';

/** Options of `loadCorpus`. */
export interface LoadCorpusOptions {
  /** Called once per skipped file, with the reason. */
  onSkip?: (path: string, reason: string) => void;
  /** The most characters per passage of a .txt/.md file. @default 1200 */
  maxChars?: number;
}

const EXTENSIONS = new Set(['.txt', '.md', '.jsonl']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Loads a corpus.
 * @param source - a folder (or one file) of .txt / .md / .jsonl; omitted: the embedded default
 * @param options - `onSkip` for skipped files, `maxChars` per passage
 * @returns the passages, their content hash and the skipped files
 * @throws CorpusError when the source is missing or yields no passage, or two passages share an id
 * @example
 * const corpus = loadCorpus('../shared/data/ir/scifact', { onSkip: (p, why) => console.warn(p, why) });
 */
export function loadCorpus(source?: string, options: LoadCorpusOptions = {}): Corpus {
  if (source === undefined) {
    const passages = bundledSpeeches();
    return { name: 'tinyshakespeare', passages, hash: corpusHash(passages), skipped: [] };
  }
  const root = resolve(source);
  let stat: Stats;
  try {
    stat = statSync(root);
  } catch {
    throw new CorpusError(`corpus folder not found: ${source}`);
  }
  const skipped: Corpus['skipped'] = [];
  const skip = (path: string, reason: string) => {
    skipped.push({ path, reason });
    options.onSkip?.(path, reason);
  };
  const files = stat.isDirectory() ? withoutBeirQueries(listFiles(root, skip), skip) : [root];
  const passages: Passage[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const name = stat.isDirectory() ? relative(root, file) : basename(file);
    const text = readText(file, skip);
    if (text === null) continue;
    const found =
      extname(file) === '.jsonl'
        ? jsonlPassages(text, name, skip)
        : splitParagraphs(text, options.maxChars).map((chunk, i, all) => ({
            id: all.length === 1 ? name : `${name}#${i + 1}`,
            title: titleOf(file, text),
            text: chunk,
          }));
    for (const passage of found) {
      if (ids.has(passage.id))
        throw new CorpusError(`two passages share the id ${JSON.stringify(passage.id)} (${name})`);
      ids.add(passage.id);
      passages.push(passage);
    }
  }
  if (passages.length === 0)
    throw new CorpusError(
      `no passage found in ${source} (looked for .txt, .md and .jsonl files${skipped.length > 0 ? `; ${skipped.length} skipped` : ''})`,
    );
  return { name: basename(root), passages, hash: corpusHash(passages), skipped };
}

function listFiles(dir: string, skip: (path: string, reason: string) => void): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    skip(dir, `unreadable folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(path, skip));
    else if (EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(path);
  }
  return files;
}

/**
 * A BEIR folder holds `queries.jsonl` beside `corpus.jsonl`, in the same shape: its
 * claims are not passages, so a folder's `queries.jsonl` next to a `corpus.jsonl` is skipped.
 */
function withoutBeirQueries(
  files: string[],
  skip: (path: string, reason: string) => void,
): string[] {
  return files.filter((file) => {
    const isQueries =
      basename(file) === 'queries.jsonl' && files.includes(join(dirname(file), 'corpus.jsonl'));
    if (isQueries)
      skip(file, 'BEIR queries beside corpus.jsonl (they are the queries, not passages)');
    return !isQueries;
  });
}

function readText(file: string, skip: (path: string, reason: string) => void): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    skip(file, `unreadable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return null;
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    skip(file, 'binary (NUL bytes)');
    return null;
  }
  try {
    return utf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    skip(file, 'not UTF-8 text');
    return null;
  }
}

function titleOf(file: string, text: string): string {
  if (extname(file).toLowerCase() === '.md') {
    const heading = /^#{1,6}\s+(.+)$/m.exec(text);
    if (heading) return heading[1]!.trim();
  }
  return basename(file, extname(file));
}

function jsonlPassages(
  text: string,
  name: string,
  skip: (path: string, reason: string) => void,
): Passage[] {
  const passages: Passage[] = [];
  const lines = text.split('\n');
  let bad = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const row = JSON.parse(line) as Record<string, unknown>;
      const id = row._id ?? row.id;
      const body = row.text ?? row.contents ?? row.body;
      if ((typeof id !== 'string' && typeof id !== 'number') || typeof body !== 'string')
        throw new Error('needs an `_id` or `id` and a `text`');
      passages.push({
        id: String(id),
        title: typeof row.title === 'string' ? row.title : '',
        text: body,
      });
    } catch (error) {
      bad++;
      if (bad <= 3) skip(`${name}:${i + 1}`, `bad jsonl line (${(error as Error).message})`);
    }
  });
  if (bad > 3) skip(name, `${bad} bad jsonl lines in all`);
  return passages;
}
