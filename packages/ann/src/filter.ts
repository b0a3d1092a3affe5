/**
 * Compiles a `SearchFilter` once per search (or batch) into what the hot
 * loops test per slot: a byte mask over slots for an allowed-id set, or the
 * user's predicate, called with the slot's id.
 */
import { InvalidArgumentError } from './errors.js';
import type { SearchFilter } from './vector-index.js';
import type { VectorStore } from './vector-store.js';

/** A filter ready for the hot loops. */
export interface CompiledFilter {
  /** 1 for allowed slots (allowed-id sets), else null. */
  mask: Uint8Array | null;
  /** The predicate on ids, else null. */
  predicate: ((id: number) => boolean) | null;
  /** Number of allowed live slots for a set, -1 for a predicate. */
  allowed: number;
}

/**
 * @param op - operation named in errors
 * @param filter - the user's filter, or undefined
 * @param store - the index's slots
 * @returns the compiled filter, or null when there is none
 * @throws InvalidArgumentError for a filter that is neither a function, a Set nor an array
 */
export function compileFilter(
  op: string,
  filter: SearchFilter | undefined,
  store: VectorStore,
): CompiledFilter | null {
  if (filter === undefined || filter === null) return null;
  if (typeof filter === 'function') return { mask: null, predicate: filter, allowed: -1 };
  const isSet = filter instanceof Set;
  if (
    !isSet &&
    (typeof filter !== 'object' || typeof (filter as ArrayLike<number>).length !== 'number')
  )
    throw new InvalidArgumentError(
      op,
      'filter',
      filter,
      'a predicate, a Set of ids or an array of ids',
    );
  const mask = new Uint8Array(store.count);
  let allowed = 0;
  const mark = (id: number) => {
    const slot = typeof id === 'number' ? store.slotOf(id) : -1;
    if (slot >= 0 && mask[slot] === 0) {
      mask[slot] = 1;
      allowed++;
    }
  };
  if (isSet) for (const id of filter as ReadonlySet<number>) mark(id);
  else {
    const list = filter as ArrayLike<number>;
    for (let i = 0; i < list.length; i++) mark(list[i]!);
  }
  return { mask, predicate: null, allowed };
}

/** Whether `slot` passes the filter (deleted slots are checked separately). */
export function passes(filter: CompiledFilter, slot: number, ids: Int32Array): boolean {
  return filter.mask !== null ? filter.mask[slot] === 1 : filter.predicate!(ids[slot]!);
}
