import { describe, expect, it } from 'vitest';
import {
  codeBlocks,
  compareOutput,
  readmeExample,
  tokenize,
  toleranceRules,
} from './readme-example.js';

const readme = [
  '# @x/demo',
  '',
  '```sh',
  'npm install @x/demo',
  '```',
  '',
  '```ts',
  "import { f } from '@x/demo';",
  "import { g } from '@x/demo/node';",
  'console.log(f());',
  '```',
  '',
  'prints (the second figure depends on the machine)',
  '',
  '```',
  'max error = 1.2e-7',
  'ids [ 3, 1 ]',
  'took 12.5 ms',
  '```',
  '',
  '<!-- output-tolerance: max error => factor 10; took => any -->',
  '',
  '- list item:',
  '',
  '  ```ts',
  '  indented();',
  '  ```',
].join('\n');

describe('README example extraction', () => {
  it('finds fenced blocks, indented ones included, with their info strings', () => {
    const blocks = codeBlocks(readme);
    expect(blocks.map((b) => b.info)).toEqual(['sh', 'ts', '', 'ts']);
    expect(blocks[3]!.body).toBe('indented();');
  });

  it('takes the first ts/js block as the example and the next plain block after "prints" as its output', () => {
    const example = readmeExample(readme)!;
    expect(example.code.split('\n')[0]).toBe("import { f } from '@x/demo';");
    expect(example.expected).toBe('max error = 1.2e-7\nids [ 3, 1 ]\ntook 12.5 ms');
    expect(example.nodeOnly).toBe(true);
    expect(example.tolerances).toEqual([
      { lineText: 'max error', kind: 'factor', value: 10 },
      { lineText: 'took', kind: 'any', value: 0 },
    ]);
  });

  it('has no example without a ts/js block, and no expected output without "prints"', () => {
    expect(readmeExample('# x\n\n```sh\nnpm i x\n```\n')).toBeNull();
    expect(readmeExample('```ts\nf();\n```\n\nthen\n\n```\n1\n```\n')!.expected).toBeNull();
  });

  it('refuses a tolerance comment it cannot read', () => {
    expect(() => toleranceRules('<!-- output-tolerance: x => roughly 3 -->')).toThrow(
      /cannot read/,
    );
  });
});

describe('output comparison', () => {
  const rules = toleranceRules(readme);
  const expected = readmeExample(readme)!.expected!;

  it('tokenizes numbers apart from words that contain digits', () => {
    expect(tokenize('e5m2 -2.5 x1 0x7f 1e-8 - naive [4]').map((t) => t.text)).toEqual([
      'e5m2',
      '-2.5',
      'x10x7f',
      '1e-8',
      '-naive[',
      '4',
      ']',
    ]);
  });

  it('accepts the same output with other white space and line breaks', () => {
    expect(
      compareOutput(expected, 'max error  = 1.2e-7\nids [\n  3,\n  1\n]\ntook 12.5 ms\n', rules),
    ).toBeNull();
  });

  it('applies a line tolerance only to its line', () => {
    expect(compareOutput(expected, 'max error = 9e-7\nids [ 3, 1 ]\ntook 99 ms', rules)).toBeNull();
    expect(compareOutput(expected, 'max error = 2e-6\nids [ 3, 1 ]\ntook 1 ms', rules)).toMatch(
      /expected 1\.2e-7, printed 2e-6 \(allowed: factor 10\)/,
    );
    expect(compareOutput(expected, 'max error = 1.2e-7\nids [ 3, 2 ]\ntook 1 ms', rules)).toMatch(
      /expected 1, printed 2 \(exact/,
    );
  });

  it('reports missing, extra and changed text', () => {
    expect(compareOutput('a 1', 'a 1 b')).toMatch(/printed more: "b"/);
    expect(compareOutput('a 1 b', 'a 1')).toMatch(/ended; the README expects "b"/);
    expect(compareOutput('ids [ 1 ]', 'idz [ 1 ]')).toMatch(/expected "ids\[", printed "idz\["/);
    expect(compareOutput('NaN Infinity -0', 'NaN Infinity -0')).toBeNull();
  });
});
