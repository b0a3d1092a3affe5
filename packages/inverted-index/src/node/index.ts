/**
 * @x/inverted-index/node: Node.js-only helpers (they use `node:fs`), kept
 * apart so the main entry stays browser-safe.
 */

export { type FilePath, loadIndexFile, saveIndexFile, writeFileAtomic } from './atomic-write.js';
