/**
 * A gate that lets at most `maxRunning` generations run at once and parks the next
 * `maxQueued` callers in FIFO order; a caller beyond that is refused at once, so a
 * burst of asks cannot pile up unbounded work behind a slow model.
 */

/** What {@link AskQueue.acquire} answers. */
export type Acquired = { release: () => void } | { rejected: true } | { aborted: true };

interface Waiter {
  resolve: (acquired: Acquired) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A bounded FIFO semaphore for the `ask` endpoint. */
export class AskQueue {
  #running = 0;
  readonly #waiters: Waiter[] = [];
  /** Callers refused because the queue was full, since creation. */
  rejected = 0;

  /**
   * @param maxRunning - Generations that may run at once (at least 1).
   * @param maxQueued - Callers that may wait for a slot (0 = none wait).
   */
  constructor(
    readonly maxRunning: number,
    readonly maxQueued: number,
  ) {}

  /** Generations running now. */
  get running(): number {
    return this.#running;
  }

  /** Callers waiting for a slot now. */
  get queued(): number {
    return this.#waiters.length;
  }

  /**
   * Takes a slot, waiting in line when all are busy.
   *
   * @param signal - Aborting it while queued leaves the line (answers `{ aborted: true }`).
   * @returns `{ release }` once a slot is held (call `release` exactly once), or
   *   `{ rejected: true }` at once when the line is full.
   */
  acquire(signal?: AbortSignal): Promise<Acquired> {
    if (signal?.aborted) return Promise.resolve({ aborted: true });
    if (this.#running < this.maxRunning) {
      this.#running++;
      return Promise.resolve({ release: this.#releaser() });
    }
    if (this.#waiters.length >= this.maxQueued) {
      this.rejected++;
      return Promise.resolve({ rejected: true });
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve,
        signal,
        onAbort: () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          resolve({ aborted: true });
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next === undefined) {
        this.#running--;
        return;
      }
      // The slot passes straight to the next caller: `running` stays the same.
      next.signal?.removeEventListener('abort', next.onAbort);
      next.resolve({ release: this.#releaser() });
    };
  }
}
