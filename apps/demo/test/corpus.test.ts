/**
 * The corpus: tinyshakespeare's speeches, folders of .txt / .md / .jsonl with bad
 * files skipped and named, and the content hash that detects a changed corpus.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusHash } from '../src/corpus/hash.js';
import { loadCorpus } from '../src/corpus/ingest.js';
import { BUNDLED_CORPUS_FILE, splitSpeeches } from '../src/corpus/shakespeare.js';
import { splitParagraphs } from '../src/corpus/split-text.js';
import { CorpusError } from '../src/errors.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'x-demo-corpus-'));

describe('the embedded corpus', () => {
  it('has one passage per speaker line, speakers as titles, every line of text kept', () => {
    const text = gunzipSync(readFileSync(BUNDLED_CORPUS_FILE)).toString('utf8');
    const lines = text.split('\n');
    // independent count: a speaker line is `NAME:` alone on a line at the start or after a blank line
    const speakerLines = lines.filter(
      (line, i) => /^[^:\n]{1,40}:$/.test(line) && (i === 0 || lines[i - 1] === ''),
    );
    const { passages, hash, name } = loadCorpus();
    expect(name).toBe('tinyshakespeare');
    // a speaker line followed by a blank line (125 of them: stage interruptions) has no speech
    const withSpeech = lines.filter(
      (line, i) =>
        /^[^:\n]{1,40}:$/.test(line) &&
        (i === 0 || lines[i - 1] === '') &&
        (lines[i + 1] ?? '') !== '',
    );
    expect(passages.length).toBe(withSpeech.length);
    expect(passages[0]).toEqual({
      id: 'speech-00001',
      title: 'First Citizen',
      text: 'Before we proceed any further, hear me speak.',
    });
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
    const kept = passages.reduce((n, p) => n + p.text.split('\n').length, 0);
    expect(kept + speakerLines.length).toBe(lines.filter((l) => l.trim() !== '').length);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('splits speeches without a speaker line as untitled passages', () => {
    expect(splitSpeeches('a line\n\nROMEO:\nBut soft!\n\n\n')).toEqual([
      { id: 'speech-00001', title: '', text: 'a line' },
      { id: 'speech-00002', title: 'ROMEO', text: 'But soft!' },
    ]);
  });
});

describe('a corpus folder', () => {
  it('reads .txt, .md and BEIR .jsonl, skips binary, non-UTF-8 and unreadable files and names them', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.txt'), 'First paragraph.\n\nSecond paragraph.');
    writeFileSync(join(dir, 'sub', 'b.md'), '# Heading B\n\nBody of b.');
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      `${JSON.stringify({ _id: 'd1', title: 'T1', text: 'one' })}\n{not json\n${JSON.stringify({ id: 7, text: 'seven' })}\n`,
    );
    writeFileSync(join(dir, 'blob.txt'), Buffer.from([0x47, 0x49, 0x46, 0x00, 0x01]));
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    // root reads every file whatever its mode, so only others see an unreadable one
    const root = process.getuid?.() === 0;
    if (!root) {
      writeFileSync(join(dir, 'locked.txt'), 'secret');
      chmodSync(join(dir, 'locked.txt'), 0o000);
    }
    writeFileSync(join(dir, 'ignored.pdf'), 'not read');
    const warnings: string[] = [];
    const corpus = loadCorpus(dir, { onSkip: (path, why) => warnings.push(`${path}: ${why}`) });
    expect(corpus.passages).toEqual([
      { id: 'a.txt', title: 'a', text: 'First paragraph.\n\nSecond paragraph.' },
      { id: 'd1', title: 'T1', text: 'one' },
      { id: '7', title: '', text: 'seven' },
      { id: join('sub', 'b.md'), title: 'Heading B', text: '# Heading B\n\nBody of b.' },
    ]);
    const reasons = warnings.join('\n');
    expect(reasons).toMatch(/blob\.txt: binary/);
    expect(reasons).toMatch(/latin1\.txt: not UTF-8/);
    expect(reasons).toMatch(/corpus\.jsonl:2: bad jsonl line/);
    if (!root) expect(reasons).toMatch(/locked\.txt: unreadable \(EACCES\)/);
    expect(corpus.skipped.length).toBe(warnings.length);
  });

  it("skips a BEIR folder's queries.jsonl beside its corpus.jsonl, saying why", () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'corpus.jsonl'),
      JSON.stringify({ _id: '1', title: 'T', text: 'a passage' }),
    );
    writeFileSync(join(dir, 'queries.jsonl'), JSON.stringify({ _id: '1', text: 'a claim' }));
    const warnings: string[] = [];
    const corpus = loadCorpus(dir, { onSkip: (path, why) => warnings.push(`${path}: ${why}`) });
    expect(corpus.passages).toEqual([{ id: '1', title: 'T', text: 'a passage' }]);
    expect(warnings).toEqual([
      `${join(dir, 'queries.jsonl')}: BEIR queries beside corpus.jsonl (they are the queries, not passages)`,
    ]);
    // alone, a queries.jsonl is a corpus like any other
    const alone = scratch();
    writeFileSync(join(alone, 'queries.jsonl'), JSON.stringify({ _id: 'q', text: 'text' }));
    expect(loadCorpus(alone).passages).toHaveLength(1);
  });

  it('refuses a missing folder, a folder without passages and duplicate ids, by name', () => {
    expect(() => loadCorpus('/no/such/folder')).toThrow(CorpusError);
    expect(() => loadCorpus(scratch())).toThrow(/no passage found/);
    const dir = scratch();
    writeFileSync(
      join(dir, 'x.jsonl'),
      `${JSON.stringify({ _id: 'a', text: '1' })}\n${JSON.stringify({ _id: 'a', text: '2' })}\n`,
    );
    expect(() => loadCorpus(dir)).toThrow(/two passages share the id "a"/);
  });

  it('hashes content: any change of id, title or text changes it; concatenation does not collide', () => {
    const base = [{ id: 'a', title: 't', text: 'x' }];
    const h = corpusHash(base);
    expect(corpusHash([{ id: 'a', title: 't', text: 'x' }])).toBe(h);
    for (const changed of [
      { id: 'b', title: 't', text: 'x' },
      { id: 'a', title: 'u', text: 'x' },
      { id: 'a', title: 't', text: 'y' },
    ])
      expect(corpusHash([changed])).not.toBe(h);
    expect(corpusHash([{ id: 'ab', title: '', text: '' }])).not.toBe(
      corpusHash([{ id: 'a', title: 'b', text: '' }]),
    );
  });

  it('cuts long files into passages of whole paragraphs under the limit, losing no word', () => {
    const paragraphs = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i} ${'word '.repeat(i * 7)}end.`,
    );
    const chunks = splitParagraphs(paragraphs.join('\n\n'), 300);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(300);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    expect(chunks.flatMap(words)).toEqual(paragraphs.flatMap(words));
  });
});
