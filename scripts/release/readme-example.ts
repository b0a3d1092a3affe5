/**
 * A package README's first example and the output it prints, read from the
 * README itself so that the README and the checks cannot drift.
 *
 * The rule (also in the root README, "README examples"):
 * - The example is the README's first fenced code block whose info string is
 *   `ts`, `typescript`, `js`, `javascript` or `mjs` (install lines in `sh`
 *   blocks come before it).
 * - Its expected output is the next fenced block with no info string or
 *   `text`, when the prose between the two blocks says "prints" or "output".
 * - Figures that depend on the machine (floating-point paths, timings) are
 *   named in an HTML comment anywhere in the README, invisible on npm:
 *   `<!-- output-tolerance: LINE TEXT => factor 10; OTHER LINE => abs 0.01 -->`.
 *   Each rule applies to the numbers on expected-output lines that contain
 *   LINE TEXT: `factor F` (same sign, within a factor F), `rel R`
 *   (|a - e| <= R |e|), `abs A` (|a - e| <= A) or `any` (any number). Every
 *   other number must be printed exactly as the README shows it. The README's
 *   prose says which figures are machine-dependent.
 * - Output is compared as a stream of tokens (numbers and text with all
 *   white space removed), so Node's line wrapping of long arrays does not
 *   matter.
 * - A package whose README has no such block has no example: the checks list
 *   it as such (and fail, for a public package, only with `--strict`).
 */

/** A fenced code block: its info string, body and the line it opens on (0-based). */
export interface CodeBlock {
  info: string;
  body: string;
  line: number;
  endLine: number;
}

/** One tolerance rule of an `output-tolerance` comment. */
export interface ToleranceRule {
  lineText: string;
  kind: 'factor' | 'rel' | 'abs' | 'any';
  value: number;
}

/** A README's first example: code, expected output (null when none is shown) and tolerances. */
export interface ReadmeExample {
  code: string;
  language: string;
  expected: string | null;
  tolerances: ToleranceRule[];
  /** Imports `node:*` modules or a package's `/node` entry: not run in a browser. */
  nodeOnly: boolean;
}

const exampleLanguages = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs']);

/** Every fenced block of a Markdown text, indented ones (in list items) included. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim().startsWith(fence!) && line.trim().replace(/[`~]/g, '') === '') break;
      body.push(line.startsWith(indent!) ? line.slice(indent!.length) : line.trimStart());
    }
    blocks.push({ info: info!.toLowerCase(), body: body.join('\n'), line: i, endLine: j });
    i = j;
  }
  return blocks;
}

/** The tolerance rules of the README's `<!-- output-tolerance: ... -->` comment. */
export function toleranceRules(markdown: string): ToleranceRule[] {
  const comment = /<!--\s*output-tolerance:([\s\S]*?)-->/.exec(markdown);
  if (!comment) return [];
  return comment[1]!
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part) => {
      const rule = /^(.*?)\s*=>\s*(factor|rel|abs|any)\s*([0-9.e+-]*)$/.exec(part);
      if (!rule) throw new Error(`output-tolerance: cannot read "${part}"`);
      const value = rule[2] === 'any' ? 0 : Number(rule[3]);
      if (!Number.isFinite(value)) throw new Error(`output-tolerance: bad value in "${part}"`);
      return { lineText: rule[1]!, kind: rule[2] as ToleranceRule['kind'], value };
    });
}

/** The README's first example (see the rule at the top of this file), or null. */
export function readmeExample(markdown: string): ReadmeExample | null {
  const blocks = codeBlocks(markdown);
  const index = blocks.findIndex((block) => exampleLanguages.has(block.info));
  if (index < 0) return null;
  const example = blocks[index]!;
  const next = blocks[index + 1];
  let expected: string | null = null;
  if (next && (next.info === '' || next.info === 'text')) {
    const between = markdown
      .split('\n')
      .slice(example.endLine + 1, next.line)
      .join('\n');
    if (/\b(prints?|output)\b/i.test(between)) expected = next.body;
  }
  return {
    code: example.body,
    language: example.info,
    expected,
    tolerances: toleranceRules(markdown),
    nodeOnly: /from\s+['"](node:[^'"]+|@x\/[\w-]+\/node)['"]/.test(example.body),
  };
}

type Token =
  | { kind: 'number'; value: number; text: string; line: number }
  | { kind: 'text'; text: string; line: number };

const numberPattern = /[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?(?![\w.])|[-+]?Infinity|NaN/gy;

/** Numbers and text (white space dropped) in order; `line` is the 0-based line of each. */
export function tokenize(output: string): Token[] {
  const tokens: Token[] = [];
  const lines = output.replace(/\r/g, '').split('\n');
  lines.forEach((line, lineIndex) => {
    let text = '';
    let i = 0;
    const flush = () => {
      if (text.length > 0) tokens.push({ kind: 'text', text, line: lineIndex });
      text = '';
    };
    while (i < line.length) {
      const char = line[i]!;
      if (/\s/.test(char)) {
        i++;
        continue;
      }
      // a number starts a token only where it is not the tail of a word ("e5m2", "x1")
      const previous = i > 0 ? line[i - 1]! : ' ';
      numberPattern.lastIndex = i;
      const match = /[\w.]/.test(previous) ? null : numberPattern.exec(line);
      if (match) {
        // "- naive": a sign followed by a space is text, handled by the pattern needing a digit
        flush();
        tokens.push({ kind: 'number', value: Number(match[0]), text: match[0], line: lineIndex });
        i += match[0].length;
      } else {
        text += char;
        i++;
      }
    }
    flush();
  });
  // adjacent text tokens across lines join (white space never matters)
  const merged: Token[] = [];
  for (const token of tokens) {
    const last = merged.at(-1);
    if (token.kind === 'text' && last?.kind === 'text') last.text += token.text;
    else merged.push({ ...token });
  }
  return merged;
}

function withinTolerance(actual: number, expected: number, rule: ToleranceRule | undefined) {
  if (Object.is(actual, expected) || actual === expected) return true;
  if (Number.isNaN(actual) && Number.isNaN(expected)) return true;
  if (!rule) return false;
  switch (rule.kind) {
    case 'any':
      return true;
    case 'abs':
      return Math.abs(actual - expected) <= rule.value;
    case 'rel':
      return Math.abs(actual - expected) <= rule.value * Math.abs(expected);
    case 'factor':
      if (expected === 0) return actual === 0;
      return (
        Math.sign(actual) === Math.sign(expected) &&
        Math.abs(actual / expected) <= rule.value &&
        Math.abs(expected / actual) <= rule.value
      );
  }
}

/** The first difference between an example's output and the README's, or null when they agree. */
export function compareOutput(
  expected: string,
  actual: string,
  tolerances: readonly ToleranceRule[] = [],
): string | null {
  const expectedLines = expected.replace(/\r/g, '').split('\n');
  const want = tokenize(expected);
  const got = tokenize(actual);
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i];
    const g = got[i];
    const where = w
      ? `README output line ${w.line + 1} ("${expectedLines[w.line]!.trim()}")`
      : 'after the README output';
    if (!w) return `${where}: the example printed more: "${g!.text}"`;
    if (!g) return `${where}: the example's output ended; the README expects "${w.text}"`;
    if (w.kind !== g.kind) return `${where}: expected "${w.text}", printed "${g.text}"`;
    if (w.kind === 'text') {
      if (w.text !== g.text) return `${where}: expected "${w.text}", printed "${g.text}"`;
      continue;
    }
    const rule = tolerances.find((r) => expectedLines[w.line]!.includes(r.lineText));
    if (!withinTolerance((g as { value: number }).value, w.value, rule)) {
      const allowed = rule
        ? ` (allowed: ${rule.kind} ${rule.value})`
        : ' (exact: not marked machine-dependent)';
      return `${where}: expected ${w.text}, printed ${g.text}${allowed}`;
    }
  }
  return null;
}

/**
 * A browser-side stand-in for Node's `util.inspect` as `console.log` uses it,
 * as the source of a function installed before the example runs: enough of it
 * (strings, numbers, arrays, typed arrays, plain and class objects, Map, Set,
 * errors) for the token comparison above, which ignores white space.
 */
export const browserConsolePrelude = String.raw`
(() => {
  const lines = [];
  const inspect = (value, depth, nested) => {
    if (typeof value === 'string') return nested ? "'" + value + "'" : value;
    if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
    if (typeof value === 'bigint') return value + 'n';
    if (value === null || typeof value !== 'object') {
      if (typeof value === 'function') return '[Function: ' + (value.name || '(anonymous)') + ']';
      return String(value);
    }
    if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
    const list = (items, more) => items.length === 0 && !more ? '[]' : '[ ' + items.join(', ') + (more ? ', ... ' + more + ' more items' : '') + ' ]';
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const items = Array.from(value.slice(0, 100), (x) => inspect(x, depth + 1, true));
      return value.constructor.name + '(' + value.length + ') ' + list(items, value.length > 100 ? value.length - 100 : 0);
    }
    if (Array.isArray(value)) {
      const items = value.slice(0, 100).map((x) => inspect(x, depth + 1, true));
      return list(items, value.length > 100 ? value.length - 100 : 0);
    }
    if (value instanceof Error) return value.stack || String(value);
    if (value instanceof Map) return 'Map(' + value.size + ') {' + (value.size ? ' ' + [...value].map(([k, v]) => inspect(k, depth + 1, true) + ' => ' + inspect(v, depth + 1, true)).join(', ') + ' ' : '') + '}';
    if (value instanceof Set) return 'Set(' + value.size + ') {' + (value.size ? ' ' + [...value].map((v) => inspect(v, depth + 1, true)).join(', ') + ' ' : '') + '}';
    const name = value.constructor && value.constructor !== Object ? value.constructor.name + ' ' : '';
    const entries = Object.keys(value).map((key) => (/^[A-Za-z_$][\w$]*$/.test(key) ? key : "'" + key + "'") + ': ' + inspect(value[key], depth + 1, true));
    return name + (entries.length ? '{ ' + entries.join(', ') + ' }' : '{}');
  };
  const log = (...args) => lines.push(args.map((arg) => inspect(arg, 0, false)).join(' '));
  console.log = log;
  console.info = log;
  window.exampleOutput = lines;
})();
`;
