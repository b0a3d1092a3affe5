/**
 * @x/inverted-index/node: Node.js-only helpers (they use `node:fs`), kept
 * apart so the main entry stays browser-safe.
 */

export { loadIndexFile, saveIndexFile, writeFileAtomic } from './atomic-write.js';
