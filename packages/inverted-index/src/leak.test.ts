/**
 * Leak probe (issue 19): 10,000 searches (a cycle of 200 SciFact-sample
 * claims, plain text and the query language, some with snippets) after a
 * warm-up of 2,000 retain under 1 MB of JS heap and no buffer memory; the
 * growth is printed.
 */
import { expect, it } from 'vitest';
import { describeLeak, measureLeak } from '../../../scripts/test-support/leak.js';
import { SCIFACT_DOCS, SCIFACT_QUERIES } from './__fixtures__/scifact-sample.js';
import { InvertedIndex } from './inverted-index.js';

const BOUND = 1024 * 1024;

it('10,000 searches hold heap and buffer memory flat', () => {
  const index = new InvertedIndex({ fields: ['title', 'text'], storeFields: ['title', 'text'] });
  for (const doc of SCIFACT_DOCS) index.add(doc);
  const texts = SCIFACT_QUERIES.map((query) => query.text);
  const queries = Array.from({ length: 200 }, (_, i) => texts[i % texts.length]!);
  const ids = SCIFACT_DOCS.map((doc) => doc.id);
  const report = measureLeak(
    (i) => {
      const text = queries[i % queries.length]!;
      if (i % 3 === 0) return index.search(text, { syntax: 'plain', k: 10 });
      if (i % 3 === 1) {
        const words = text.split(/\s+/).filter((word) => /^[a-z]+$/i.test(word));
        return index.search(
          `title:(${words[0]}) OR "${words.slice(1, 3).join(' ')}" ${words[3]}~1`,
        );
      }
      return index.snippet(ids[i % ids.length]!, text, { field: 'text', syntax: 'plain' });
    },
    10_000,
    2_000,
  );
  console.log(describeLeak('InvertedIndex.search / snippet', report));
  expect(report.heapGrowth).toBeLessThan(BOUND);
  expect(report.bufferGrowth).toBeLessThan(BOUND);
});
