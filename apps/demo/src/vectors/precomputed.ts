/**
 * The user's own document vectors, aligned with the corpus: a `.jsonl` file with one
 * `{"id": ..., "vector": [...]}` per passage (`_id` and `embedding` also read), in any
 * order, or an `.fvecs` file (each vector as an int32 dimension then float32 values,
 * as the ANN benchmarks ship them) in the corpus's order.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { EmbeddingsError } from '../errors.js';
import { normalize } from './embedder.js';

/**
 * Reads document vectors for the corpus's ids, each scaled to unit length.
 * @param path - a .jsonl or .fvecs file
 * @param ids - the corpus's passage ids, in order
 * @returns one vector per id, in the same order
 * @throws EmbeddingsError when the file is unreadable, a line is malformed, an id is missing or unknown, or the dimensions differ
 * @example
 * const vectors = readEmbeddings('my-vectors.jsonl', corpus.passages.map((p) => p.id));
 */
export function readEmbeddings(path: string, ids: readonly string[]): Float32Array[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new EmbeddingsError(
      `cannot read the embeddings ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const vectors =
    extname(path).toLowerCase() === '.fvecs' ? fvecs(bytes, path, ids) : jsonl(bytes, path, ids);
  return vectors.map((v) => normalize(v));
}

function fvecs(bytes: Buffer, path: string, ids: readonly string[]): Float32Array[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Float32Array[] = [];
  let offset = 0;
  let dims = -1;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length)
      throw new EmbeddingsError(`${path} is truncated at byte ${offset}`);
    const d = view.getInt32(offset, true);
    if (dims === -1) dims = d;
    if (d !== dims || d <= 0 || offset + 4 + 4 * d > bytes.length)
      throw new EmbeddingsError(
        `${path}: vector ${out.length + 1} has dimension ${d} (the first has ${dims}) or is truncated`,
      );
    const v = new Float32Array(d);
    for (let i = 0; i < d; i++) v[i] = view.getFloat32(offset + 4 + 4 * i, true);
    out.push(checkFinite(v, path, out.length + 1));
    offset += 4 + 4 * d;
  }
  if (out.length !== ids.length)
    throw new EmbeddingsError(
      `${path} holds ${out.length} vectors, the corpus has ${ids.length} passages`,
    );
  return out;
}

function jsonl(bytes: Buffer, path: string, ids: readonly string[]): Float32Array[] {
  const byId = new Map<string, Float32Array>();
  let dims = -1;
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new EmbeddingsError(`${path}:${i + 1} is not JSON`);
      }
      const id = row.id ?? row._id;
      const values = row.vector ?? row.embedding;
      if ((typeof id !== 'string' && typeof id !== 'number') || !Array.isArray(values))
        throw new EmbeddingsError(`${path}:${i + 1} needs an "id" and a "vector" array`);
      if (dims === -1) dims = values.length;
      if (values.length !== dims || dims === 0)
        throw new EmbeddingsError(
          `${path}:${i + 1} has dimension ${values.length}, the first line has ${dims}`,
        );
      if (!values.every((x) => typeof x === 'number'))
        throw new EmbeddingsError(`${path}:${i + 1} holds a value that is not a finite number`);
      byId.set(
        String(id),
        checkFinite(Float32Array.from(values as number[]), `${path}:${i + 1}`, 0),
      );
    });
  return ids.map((id) => {
    const v = byId.get(id);
    if (!v)
      throw new EmbeddingsError(`${path} has no vector for the passage ${JSON.stringify(id)}`);
    return v;
  });
}

function checkFinite(v: Float32Array, where: string, n: number): Float32Array {
  if (!v.every(Number.isFinite))
    throw new EmbeddingsError(
      `${where}${n > 0 ? ` vector ${n}` : ''} holds a value that is not a finite number`,
    );
  return v;
}
