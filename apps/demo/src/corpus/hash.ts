import { createHash } from 'node:crypto';
import type { Passage } from './passage.js';

/**
 * The corpus's content hash: SHA-256 over each passage's id, title and text, in order,
 * each field length-prefixed so that no two corpora share a hash by concatenation.
 * @param passages - the passages
 * @returns the hex digest
 * @example
 * corpusHash([{ id: 'a', title: '', text: 'x' }]); // '5c1f...'
 */
export function corpusHash(passages: readonly Passage[]): string {
  const hash = createHash('sha256');
  for (const { id, title, text } of passages)
    for (const field of [id, title, text]) hash.update(`${field.length}:`).update(field);
  return hash.digest('hex');
}
