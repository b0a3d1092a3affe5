/**
 * What streamed text may show of a continuation so far: decoded text minus
 * a trailing incomplete UTF-8 sequence (U+FFFD at the end, where a
 * byte-level token split a character) and minus any end that could still
 * grow into a stop string; and the cut at the first stop string.
 */
import type { Tokenizer } from '../tokenizers/tokenizer.js';
import { findStop, heldBack } from './stop-strings.js';

/** Tracks one row's text: what is safe to show, and where a stop string cut it. */
export class TextTracker {
  /** Text shown so far. */
  shown = '';
  /** The text before the first stop string, once one appeared. */
  stopped: string | null = null;
  /**
   * @param tokenizer - decodes the ids
   * @param stops - stop strings
   */
  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly stops: readonly string[],
  ) {}

  /**
   * The new visible text after `ids` (sets `stopped` when a stop string appears).
   * @param ids - the continuation's ids so far
   */
  update(ids: readonly number[]): string {
    const full = this.tokenizer.decode(ids);
    const at = findStop(full, this.stops);
    if (at !== -1) {
      this.stopped = full.slice(0, at);
      const delta = this.stopped.slice(this.shown.length);
      this.shown = this.stopped;
      return delta;
    }
    let visible = full.endsWith('\uFFFD') ? full.replace(/\uFFFD+$/, '') : full;
    visible = visible.slice(0, visible.length - heldBack(visible, this.stops));
    if (visible.length <= this.shown.length || !visible.startsWith(this.shown)) return '';
    const delta = visible.slice(this.shown.length);
    this.shown = visible;
    return delta;
  }

  /**
   * The final text: cut at the stop string, or all of it.
   * @param ids - the continuation's ids
   */
  final(ids: readonly number[]): string {
    if (this.stopped !== null) return this.stopped;
    return this.tokenizer.decode(ids);
  }
}
