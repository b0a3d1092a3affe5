/**
 * Builds the two indexes of a corpus (BM25 and LSA vectors in an HNSW graph) or
 * reuses them from the data directory when the corpus's content hash and the
 * settings match; persists new ones atomically with their digests.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvertedIndex } from '@x/inverted-index';
import type { Corpus } from '../corpus/passage.js';
import { EmbeddingsError, IndexSnapshotError } from '../errors.js';
import { type Embedder, lsaEmbedder } from '../vectors/embedder.js';
import { VectorIndex } from '../vectors/index.js';
import { Lsa } from '../vectors/lsa.js';
import { readEmbeddings } from '../vectors/precomputed.js';
import { BM25_OPTIONS, buildBm25 } from './bm25-index.js';
import {
  type Manifest,
  readCheckedFile,
  readManifest,
  sha256,
  writeIndexFiles,
} from './manifest.js';

/** Options of `openIndexes`. */
export interface OpenIndexesOptions {
  /** Where the indexes persist. */
  dataDir: string;
  /** Ignore what is there (also a damaged snapshot) and index again. */
  rebuild?: boolean;
  /** LSA dimensions. @default 192 */
  dims?: number;
  /** Where document vectors come from. @default LSA fitted on the corpus */
  vectors?: VectorSource;
  /** Progress of each stage while indexing. */
  onProgress?: (stage: IndexStage, done: number, total: number) => void;
  /** Told why the indexes are rebuilt (no snapshot, changed corpus, changed settings, --rebuild). */
  onRebuild?: (reason: string) => void;
}

/**
 * The vector branch's source: LSA fitted here (persisted), an embedder given by the
 * caller (an @x/lm model's hidden states; `key` names it in the manifest), or the
 * user's document vectors in a file (queries then pass their own vector).
 */
export type VectorSource =
  | { kind: 'lsa' }
  | { kind: 'embedder'; embedder: Embedder; key: string }
  | { kind: 'file'; path: string };

/** The stages of indexing, in order. */
export type IndexStage = 'bm25' | 'lsa' | 'embed' | 'hnsw';

/** The opened indexes. */
export interface Indexes {
  bm25: InvertedIndex;
  /** Embeds queries for the vector branch; null with precomputed document vectors. */
  embedder: Embedder | null;
  /** The LSA model, when it is the source. */
  lsa: Lsa | null;
  vectors: VectorIndex;
  manifest: Manifest;
  /** True when they came from the data directory. */
  reused: boolean;
}

const FILES = { bm25: 'bm25.snapshot', lsa: 'lsa.bin', vectors: 'vectors.hnsw' } as const;

/**
 * Opens (reuses or builds) the indexes of a corpus.
 * @param corpus - the corpus
 * @param options - data directory, rebuild, LSA dimensions, progress
 * @returns the indexes and the manifest
 * @throws IndexSnapshotError when a snapshot of this corpus is damaged (run with `rebuild`)
 * @example
 * const { bm25, vectors, reused } = openIndexes(loadCorpus(), { dataDir: '.x-demo' });
 */
export function openIndexes(corpus: Corpus, options: OpenIndexesOptions): Indexes {
  const dims = options.dims ?? 192;
  const source = options.vectors ?? { kind: 'lsa' };
  const settings = {
    dims,
    boostTitle: BM25_OPTIONS.boost.title,
    boostText: BM25_OPTIONS.boost.text,
    vectors: sourceKey(source),
  };
  mkdirSync(options.dataDir, { recursive: true });
  const manifest = options.rebuild ? null : readManifest(options.dataDir);
  const why = rebuildReason(manifest, corpus, settings, options.rebuild === true);
  if (why === null)
    return {
      ...readIndexes(options.dataDir, manifest!, source),
      manifest: manifest!,
      reused: true,
    };
  options.onRebuild?.(why);
  const progress = options.onProgress;
  const texts = corpus.passages.map((p) => (p.title === '' ? p.text : `${p.title}\n${p.text}`));
  const bm25 = buildBm25(corpus.passages, (done, total) => progress?.('bm25', done, total));
  const lsa =
    source.kind === 'lsa'
      ? Lsa.fit(texts, { dims, onProgress: (done, total) => progress?.('lsa', done, total) })
      : null;
  const embedder: Embedder | null = lsa
    ? lsaEmbedder(lsa)
    : source.kind === 'embedder'
      ? source.embedder
      : null;
  const documentVectors =
    source.kind === 'file'
      ? readEmbeddings(
          source.path,
          corpus.passages.map((p) => p.id),
        )
      : embedder!.embedAll(texts, (done, total) => progress?.('embed', done, total));
  const vectors = VectorIndex.build(
    documentVectors,
    corpus.passages.map((p) => p.id),
    { onProgress: (done: number, total: number) => progress?.('hnsw', done, total) },
  );
  const files: Record<string, Uint8Array> = {
    [FILES.bm25]: bm25.save(),
    [FILES.vectors]: vectors.toBytes(),
  };
  if (lsa) files[FILES.lsa] = lsa.toBytes();
  const written = writeIndexFiles(options.dataDir, files, {
    corpus: corpus.name,
    corpusHash: corpus.hash,
    documents: corpus.passages.length,
    settings,
    indexedAt: new Date().toISOString(),
  });
  return { bm25, embedder, lsa, vectors, manifest: written, reused: false };
}

function rebuildReason(
  manifest: Manifest | null,
  corpus: Corpus,
  settings: Record<string, number | string>,
  forced: boolean,
): string | null {
  if (forced) return 'rebuild requested';
  if (manifest === null) return 'no index yet';
  if (manifest.corpusHash !== corpus.hash)
    return `the corpus changed (content hash ${manifest.corpusHash.slice(0, 12)} -> ${corpus.hash.slice(0, 12)})`;
  for (const [key, value] of Object.entries(settings))
    if (manifest.settings[key] !== value) return `the setting ${key} changed`;
  return null;
}

function sourceKey(source: VectorSource): string {
  if (source.kind === 'lsa') return 'lsa';
  if (source.kind === 'embedder') return `embedder:${source.key}`;
  try {
    return `file:${sha256(readFileSync(source.path))}`;
  } catch (error) {
    throw new EmbeddingsError(
      `cannot read the embeddings ${source.path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
}

function readIndexes(
  dir: string,
  manifest: Manifest,
  source: VectorSource,
): Omit<Indexes, 'manifest' | 'reused'> {
  const load = <T>(name: string, parse: (bytes: Uint8Array) => T): T => {
    const bytes = readCheckedFile(dir, manifest, name);
    try {
      return parse(bytes);
    } catch (error) {
      throw new IndexSnapshotError(
        `an index file does not parse (${(error as Error).message})`,
        join(dir, name),
      );
    }
  };
  const lsa = source.kind === 'lsa' ? load(FILES.lsa, (bytes) => Lsa.fromBytes(bytes)) : null;
  return {
    bm25: load(FILES.bm25, (bytes) => InvertedIndex.load(bytes)),
    embedder: lsa ? lsaEmbedder(lsa) : source.kind === 'embedder' ? source.embedder : null,
    lsa,
    vectors: load(FILES.vectors, (bytes) => VectorIndex.fromBytes(bytes)),
  };
}
