/** Streamed text holds back broken characters and possible stop strings, and never takes text back. */
import { describe, expect, it } from 'vitest';
import { byteTokenizer } from '../../test/stub-tokenizers.js';
import { TextTracker } from './text-tracker.js';

describe('TextTracker', () => {
  it('holds a character split across byte tokens until it completes', () => {
    const tracker = new TextTracker(byteTokenizer(), []);
    const bytes = [...new TextEncoder().encode('aé😀b')];
    const pieces = bytes.map((_, i) => tracker.update(bytes.slice(0, i + 1)));
    expect(pieces).toEqual(['a', '', 'é', '', '', '', '😀', 'b']);
  });
  it('holds what could become a stop string, and cuts at one', () => {
    const tracker = new TextTracker(byteTokenizer(), ['END']);
    const text = 'go ENaEND more';
    const bytes = [...new TextEncoder().encode(text)];
    let shown = '';
    for (let i = 0; i < bytes.length && tracker.stopped === null; i++) {
      const piece = tracker.update(bytes.slice(0, i + 1));
      shown += piece;
      expect(text.startsWith(shown)).toBe(true);
      expect(shown).not.toContain('END');
    }
    expect(tracker.stopped).toBe('go ENa');
    expect(shown).toBe('go ENa');
    expect(tracker.final(bytes)).toBe('go ENa');
  });
});
