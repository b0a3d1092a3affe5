/** The bundled Shakespeare slice as character ids (a plain map, independent of the package's tokenizers). */
import { readFileSync } from 'node:fs';

export const shakespeare = readFileSync(
  new URL('./fixtures/tinyshakespeare-32k.txt', import.meta.url),
  'utf8',
);
export const alphabet = [...new Set(shakespeare)].sort();
export const ids = Int32Array.from(shakespeare, (c) => alphabet.indexOf(c));
/** nanoGPT's split: first 90% train, last 10% validation. */
export const split = {
  train: ids.subarray(0, Math.floor(ids.length * 0.9)),
  val: ids.subarray(Math.floor(ids.length * 0.9)),
};
