/**
 * Storage: the value behind one or more tensors. A tensor and all its views
 * share one Storage; the storage owns the backend's handle, counts the
 * tensors that reference it (freed at zero), and carries a version counter
 * that every in-place write bumps, so autograd can tell when a value it saved
 * was overwritten.
 */
import type { Backend } from './backend/backend.js';
import type { DType } from './dtype.js';

let nextStorageId = 1;

/**
 * Frees the backend buffer of a storage that was garbage-collected without
 * its tensors being disposed, so device memory cannot leak forever and the
 * backend's live-memory counters stay true. Disposal remains the prompt way.
 */
const collected = new FinalizationRegistry<{ backend: Backend; data: unknown }>(
  ({ backend, data }) => {
    backend.free(data);
  },
);

/** A backend buffer shared by a tensor and its views. */
export class Storage {
  /** Unique id, for debugging and printing. */
  readonly id = nextStorageId++;
  /** Bumped by every in-place write. */
  version = 0;
  /** Number of live tensors referencing this storage. */
  refs = 0;
  /** True once the backend buffer was released. */
  freed = false;

  /**
   * @param backend - the backend that owns `data`
   * @param data - the backend's handle
   * @param dtype - element type
   * @param length - number of elements
   */
  constructor(
    readonly backend: Backend,
    readonly data: unknown,
    readonly dtype: DType,
    readonly length: number,
  ) {
    collected.register(this, { backend, data }, this);
  }

  /** Adds a reference (a new tensor or view on this storage). */
  retain(): void {
    this.refs++;
  }

  /** Drops a reference; frees the backend buffer when none is left. */
  release(): void {
    this.refs--;
    if (this.refs === 0 && !this.freed) {
      this.freed = true;
      collected.unregister(this);
      this.backend.free(this.data);
    }
  }
}
