/**
 * Compaction: rewrites the postings without deleted documents and
 * renumbers the live ones densely (in their old order).
 */

import type { IndexStore } from './index-store.js';
import { NO_MORE_DOCS, PostingCursor } from './posting-cursor.js';
import { buildStore } from './store-builder.js';

/**
 * Purges deleted documents.
 * @param store - the store to compact (left unchanged)
 * @returns the new store and `remap` (old doc number -> new, -1 for deleted)
 * @example
 * ```ts
 * const { store: compacted, remap } = compactStore(store);
 * ```
 */
export function compactStore(store: IndexStore): { store: IndexStore; remap: Int32Array } {
  const remap = new Int32Array(store.docNumCount).fill(-1);
  let next = 0;
  for (let doc = 0; doc < store.docNumCount; doc++)
    if (store.deleted[doc] !== 1) remap[doc] = next++;
  const lengths = store.fields.map((_, f) => {
    const out = new Int32Array(next);
    for (let doc = 0; doc < store.docNumCount; doc++) {
      if (remap[doc]! >= 0) out[remap[doc]!] = store.lengths[f]![doc]!;
    }
    return out;
  });
  const compacted = buildStore(store.fields, store.terms, lengths, (sink) => {
    for (let f = 0; f < store.fields.length; f++) {
      const lists = store.postings[f]!;
      for (let id = 0; id < lists.length; id++) {
        const list = lists[id];
        if (!list || list.docFreq === 0) continue;
        const cursor = new PostingCursor(list);
        for (let doc = cursor.nextDoc(); doc !== NO_MORE_DOCS; doc = cursor.nextDoc()) {
          const target = remap[doc]!;
          if (target >= 0) sink(f, id, target, cursor.positions(), cursor.freq());
        }
      }
    }
  });
  return { store: compacted, remap };
}
