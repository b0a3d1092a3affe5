import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../release/workspace.js';
import { checkLinks, headingSlug, markdownAnchors, markdownLinks } from './link-check.js';

describe('link check', () => {
  it("computes GitHub's heading ids", () => {
    expect(headingSlug('Speed (npm run bench -w @x/tensor)')).toBe(
      'speed-npm-run-bench--w-xtensor',
    );
    expect(headingSlug('Quality: BEIR SciFact')).toBe('quality-beir-scifact');
    expect([...markdownAnchors('# A\n## A\n```\n# not a heading\n```\n## `code` B')]).toEqual([
      'readme',
      'a',
      'a-1',
      'code-b',
    ]);
  });

  it('reads links outside code only', () => {
    expect(
      markdownLinks(
        '[a](x.md) `[b](y.md)` ![c](z.svg "t")\n```\n[d](w.md)\n```\n<a href="v.html">',
      ),
    ).toEqual(['x.md', 'z.svg', 'v.html']);
  });

  it('finds no dead link in the repository Markdown (the API site is checked by npm run docs)', () => {
    expect(checkLinks(join(repositoryRoot, 'no-site-here'))).toEqual([]);
  });
});
