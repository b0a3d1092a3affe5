/**
 * The demo's named errors. Every interface (CLI, HTTP, web page) turns them into one
 * clear line or a JSON body with a status code; anything else is a bug (HTTP 500).
 */

/** Base class of every error the demo raises on purpose. */
export class DemoError extends Error {
  override name = 'DemoError';
}

/** A query or a search/ask option the pipeline refuses (HTTP 400). */
export class QueryError extends DemoError {
  override name = 'QueryError';
}

/** A corpus that cannot be read: missing folder, no readable document, bad jsonl line. */
export class CorpusError extends DemoError {
  override name = 'CorpusError';
}

/** A persisted index in the data directory that is truncated, corrupted or of another version. */
export class IndexSnapshotError extends DemoError {
  override name = 'IndexSnapshotError';
  constructor(
    message: string,
    /** The file that failed its check. */
    readonly path: string,
  ) {
    super(`${message} (${path}); run \`x-demo index --rebuild\` to recreate it`);
  }
}

/** Embeddings given by the user that do not match the corpus (count, ids or dimension). */
export class EmbeddingsError extends DemoError {
  override name = 'EmbeddingsError';
}
