/**
 * Writes the small siftsmall slice the tests use (src/__fixtures__): the
 * first 2,000 base vectors as .bvecs (SIFT components are integers 0..255,
 * so bytes are exact and four times smaller than .fvecs) and the first 20
 * queries as .fvecs. Ground truth is computed by brute force in the test.
 *
 *   npx tsx --conditions=@x/source scripts/make-siftsmall-fixture.ts [--data DIR]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFvecs, writeBvecs, writeFvecs } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dataArg = process.argv.indexOf('--data');
const data = dataArg > 0 ? process.argv[dataArg + 1]! : resolve(here, '../../../../shared/data');
const source = join(data, 'ann/siftsmall');
const out = join(here, '../src/__fixtures__');

const base = readFvecs(readFileSync(join(source, 'siftsmall_base.fvecs')), { limit: 2000 });
for (const value of base.data)
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new Error(`not a byte: ${value}`);
writeFileSync(join(out, 'siftsmall-base-2000.bvecs'), writeBvecs(base.data, base.dimension));
const queries = readFvecs(readFileSync(join(source, 'siftsmall_query.fvecs')), { limit: 20 });
writeFileSync(join(out, 'siftsmall-query-20.fvecs'), writeFvecs(queries.data, queries.dimension));
console.log(
  `wrote ${base.count} base vectors and ${queries.count} queries of dimension ${base.dimension} to ${out}`,
);
