/**
 * `loadIndex`: loads any saved index, dispatching on the kind recorded in
 * its header.
 */
import { FlatIndex } from './flat/flat-index.js';
import { RpForestIndex } from './forest/rp-forest-index.js';
import { HnswIndex } from './hnsw/hnsw-index.js';
import { peekKind } from './io/envelope.js';
import { IvfFlatIndex } from './ivf/ivf-flat-index.js';
import { IvfPqIndex } from './ivf/ivf-pq-index.js';
import type { VectorIndex } from './vector-index.js';

/**
 * Loads an index saved by any index's `save()`.
 * @param data - the saved bytes (Uint8Array or ArrayBuffer)
 * @returns a FlatIndex, HnswIndex, IvfPqIndex, IvfFlatIndex or RpForestIndex
 * @throws TruncatedIndexError when the data is shorter than its header says
 * @throws CorruptIndexError for a wrong magic, a checksum mismatch or an inconsistent body
 * @throws UnsupportedVersionError for a newer format version
 * @example
 * const index = loadIndex(hnsw.save());
 * index.kind // 'hnsw'
 */
export function loadIndex(data: Uint8Array | ArrayBuffer): VectorIndex {
  switch (peekKind('loadIndex', data)) {
    case 'flat':
      return FlatIndex.load(data);
    case 'hnsw':
      return HnswIndex.load(data);
    case 'ivf-pq':
      return IvfPqIndex.load(data);
    case 'ivf-flat':
      return IvfFlatIndex.load(data);
    case 'rp-forest':
      return RpForestIndex.load(data);
  }
}
