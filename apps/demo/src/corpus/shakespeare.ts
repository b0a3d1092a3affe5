/**
 * The embedded default corpus: tinyshakespeare (Karpathy's char-rnn collection,
 * shipped gzipped in apps/demo/data) split into speeches. A speech is a block
 * between blank lines whose first line is `SPEAKER:`; its id is its ordinal
 * (`speech-00001`, play-free: the collection does not say which play a line is
 * from) and the speaker is its title field.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Passage } from './passage.js';

/** The gzipped text shipped with the app. */
export const BUNDLED_CORPUS_FILE = fileURLToPath(
  new URL('../../data/tinyshakespeare.txt.gz', import.meta.url),
);

/**
 * Splits tinyshakespeare-formatted text into speeches.
 * @param text - the collection's text
 * @returns one passage per speech, in order
 * @example
 * splitSpeeches('ROMEO:\nBut soft!\n\nJULIET:\nAy me!\n');
 * // [{ id: 'speech-00001', title: 'ROMEO', text: 'But soft!' }, { id: 'speech-00002', ... }]
 */
export function splitSpeeches(text: string): Passage[] {
  const passages: Passage[] = [];
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const trimmed = block.trim();
    if (trimmed === '') continue;
    const newline = trimmed.indexOf('\n');
    const head = newline < 0 ? trimmed : trimmed.slice(0, newline);
    const speaker = /^([^:\n]{1,40}):$/.exec(head);
    const body = speaker ? trimmed.slice(head.length + 1).trim() : trimmed;
    if (body === '') continue;
    passages.push({
      id: `speech-${String(passages.length + 1).padStart(5, '0')}`,
      title: speaker ? speaker[1]! : '',
      text: body,
    });
  }
  return passages;
}

/**
 * The embedded default corpus's speeches.
 * @returns the passages of tinyshakespeare
 */
export function bundledSpeeches(): Passage[] {
  return splitSpeeches(gunzipSync(readFileSync(BUNDLED_CORPUS_FILE)).toString('utf8'));
}
