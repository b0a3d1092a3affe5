/**
 * The cache of a Mamba model: each layer's conv state [B, d_inner, d_conv]
 * and SSM state [B, d_inner, d_state]. A recurrent state summarises the
 * whole past, so there are no per-position rows to drop; instead the cache
 * keeps a snapshot after each position of the latest multi-token call, and
 * `truncate` / `select` restore one of them. That covers speculative
 * decoding over a single draft path (keep the accepted prefix); a branching
 * tree cannot be verified in one pass by a recurrent model, and `select`
 * with a non-prefix path says so.
 */
import { dispose, keep, type Tensor } from '@x/tensor';
import { InputError, LmValueError } from '../errors.js';
import type { ModelCache } from './cache.js';

/** One layer's decoding state (as @x/ssm's `MambaState`). */
export interface LayerState {
  readonly conv: Tensor;
  readonly ssm: Tensor;
}

/** The states of every Mamba layer. */
export class MambaCache implements ModelCache {
  readonly kind = 'mamba';
  readonly batch: number;
  /** Current state per layer, or null before the first call. */
  states: LayerState[] | null = null;
  private size = 0;
  /** Snapshots by length, for the positions of the latest call. */
  private snapshots = new Map<number, LayerState[]>();

  /**
   * @param batch - sequences in the batch
   * @throws LmValueError for a non-positive batch
   */
  constructor(batch = 1) {
    if (!Number.isSafeInteger(batch) || batch < 1)
      throw new LmValueError(
        'MambaCache',
        `batch must be a positive integer, got ${batch}`,
        'batch',
        batch,
      );
    this.batch = batch;
  }

  /** Positions consumed. */
  get length(): number {
    return this.size;
  }

  /**
   * Starts a new call: earlier snapshots are dropped, the current state is
   * kept as the snapshot of the current length (internal to the model).
   */
  beginCall(): void {
    for (const states of this.snapshots.values()) if (states !== this.states) release(states);
    this.snapshots.clear();
    if (this.states) this.snapshots.set(this.size, this.states);
  }

  /**
   * Records the state after a position of the current call (internal to the model).
   * @param states - the layers' states after it
   * @param positions - positions consumed so far by this state
   */
  record(states: LayerState[], positions: number): void {
    for (const s of states) {
      keep(s.conv);
      keep(s.ssm);
    }
    this.states = states;
    this.size = positions;
    this.snapshots.set(positions, states);
  }

  /** @inheritdoc */
  truncate(length: number): void {
    if (length === this.size) return;
    const states = this.snapshots.get(length);
    if (!Number.isSafeInteger(length) || length < 0 || length > this.size || !states)
      throw new InputError(
        'MambaCache.truncate',
        `a Mamba cache can return to the lengths of its latest call only (${[...this.snapshots.keys()].join(', ')}), got ${length}`,
        'length',
      );
    this.states = states;
    this.size = length;
  }

  /** @inheritdoc */
  select(indices: readonly number[]): void {
    indices.forEach((index, i) => {
      if (index !== i)
        throw new InputError(
          'MambaCache.select',
          `a recurrent state keeps no per-position rows: indices must be a prefix 0..k-1, got indices[${i}] = ${index}`,
          'indices',
        );
    });
    this.truncate(indices.length);
  }

  /** @inheritdoc */
  clone(): MambaCache {
    const copy = new MambaCache(this.batch);
    const copies = new Map<LayerState[], LayerState[]>();
    const copyOf = (states: LayerState[]) => {
      let c = copies.get(states);
      if (!c) {
        c = states.map((s) => ({ conv: keep(s.conv.clone()), ssm: keep(s.ssm.clone()) }));
        copies.set(states, c);
      }
      return c;
    };
    for (const [length, states] of this.snapshots) copy.snapshots.set(length, copyOf(states));
    copy.states = this.states ? copyOf(this.states) : null;
    copy.size = this.size;
    return copy;
  }

  /** @inheritdoc */
  dispose(): void {
    for (const states of this.snapshots.values()) if (states !== this.states) release(states);
    if (this.states) release(this.states);
    this.snapshots.clear();
    this.states = null;
    this.size = 0;
  }
}

function release(states: LayerState[]): void {
  for (const s of states) dispose(s.conv, s.ssm);
}
