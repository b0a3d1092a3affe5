/**
 * Stop strings in streamed text: where the first stop string starts, and
 * how much of the text's end must be held back because it could still grow
 * into a stop string (so a stream never shows text it later takes back).
 */

/**
 * Finds the earliest stop string in `text`.
 * @param text - the continuation so far
 * @param stops - stop strings (empty ones are ignored)
 * @returns the index where it starts, or -1
 */
export function findStop(text: string, stops: readonly string[]): number {
  let first = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  return first;
}

/**
 * Length of the longest suffix of `text` that is a proper prefix of a stop string.
 * @param text - the continuation so far (with no complete stop string)
 * @param stops - stop strings
 * @returns characters to hold back
 */
export function heldBack(text: string, stops: readonly string[]): number {
  let hold = 0;
  for (const stop of stops)
    for (let n = Math.min(stop.length - 1, text.length); n > hold; n--)
      if (text.endsWith(stop.slice(0, n))) {
        hold = n;
        break;
      }
  return hold;
}
