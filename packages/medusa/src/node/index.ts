/**
 * Node.js-only helpers of @x/medusa (`@x/medusa/node`): heads folders on
 * disk. The main entry stays free of `node:` imports so that it bundles for
 * browsers.
 */
export { BUNDLED_HEADS_DIR, loadBundledHeads } from './bundled-heads.js';
export { loadHeads, saveHeads } from './heads-files.js';
