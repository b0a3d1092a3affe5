/**
 * Tokenizer encode throughput (MB/s of UTF-8 input) on tinyshakespeare,
 * with `gpt-tokenizer` (r50k_base = GPT-2) measured in the same run:
 *
 * 0. gpt-tokenizer r50k_base `encode`: the peer, and the reference ids
 * 1. GPT-2 through `@huggingface/tokenizers` (the library's encoder)
 * 2. GPT-2 through this package's `ByteLevelBpe` (the default for GPT-2)
 * 3. a byte-level BPE trained here (`trainBpe`, 4,096 ids on the first 90%),
 *    fast encoder and library encoder
 * 4. the character-level tokenizer
 *
 * Each is checked before it is timed (1 and 2 give the reference ids, 3's
 * encoders agree). Passes are interleaved, fastest counts. Ends with one JSON line.
 *
 *   npx tsx --conditions=@x/source bench/tokenizer-throughput.ts [--data DIR] [--quick] [--repeats N]
 *
 * `--data` is the `shared/data` folder (default: the first `shared/data`
 * above the package); `--quick` uses the committed 32 KB slice and one pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as gptTokenizerEncode } from 'gpt-tokenizer/encoding/r50k_base';
import {
  CharTokenizer,
  gpt2TokenizerJson,
  HfTokenizer,
  type Tokenizer,
  trainBpe,
} from '../src/index.js';
import { gpt2FilesFromTiktoken } from '../src/tokenizers/__fixtures__/gpt2-from-tiktoken.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Options of `runTokenizerThroughput`. */
export interface TokenizerThroughputOptions {
  /** The `shared/data` folder; default: the first one above the package. */
  readonly dataDir?: string;
  /** Committed 32 KB slice, one pass. */
  readonly quick?: boolean;
  /** Timed passes per encoder (fastest counts). @default 5 (1 when quick) */
  readonly repeats?: number;
  /** Where lines go. @default console.log */
  readonly log?: (line: string) => void;
}

/** What `runTokenizerThroughput` measured. */
export interface TokenizerThroughputReport {
  readonly bench: 'tokenizer-throughput';
  readonly corpus: string;
  readonly bytes: number;
  readonly repeats: number;
  /** Fastest pass of each encoder, MB/s (10^6 bytes of UTF-8 input per second). */
  readonly mbPerSecond: Record<string, number>;
  /** Each encoder's MB/s over gpt-tokenizer's. */
  readonly ratioToGptTokenizer: Record<string, number>;
  /** `trainBpe` to 4,096 ids on the first 90% of the corpus. */
  readonly trainSeconds: number;
  readonly quick: boolean;
}

function findSharedData(): string | undefined {
  let dir = resolve(here, '..');
  for (let level = 0; level < 6; level++) {
    if (existsSync(join(dir, 'shared/data'))) return join(dir, 'shared/data');
    dir = resolve(dir, '..');
  }
  return undefined;
}

/**
 * Runs the benchmark.
 * @param options - data folder, quick mode, repeats, log
 * @returns the report (also printed, last as one JSON line)
 * @throws Error when an encoder's ids disagree with the reference
 */
export async function runTokenizerThroughput(
  options: TokenizerThroughputOptions = {},
): Promise<TokenizerThroughputReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const quick = options.quick ?? false;
  const repeats = options.repeats ?? (quick ? 1 : 5);
  const dataDir = options.dataDir ?? findSharedData();
  const full = dataDir ? join(dataDir, 'text/tinyshakespeare/input.txt') : undefined;
  let corpus: string;
  let text: string;
  if (!quick && full && existsSync(full)) {
    corpus = 'tinyshakespeare input.txt';
    text = readFileSync(full, 'utf8');
  } else {
    if (!quick) log(`note: ${full ?? 'shared/data'} not found; using the committed 32 KB slice`);
    corpus = 'tinyshakespeare, first 32 KB (test/fixtures)';
    text = readFileSync(join(here, '../test/fixtures/tinyshakespeare-32k.txt'), 'utf8');
  }
  const bytes = Buffer.byteLength(text);
  log(
    `tokenizer encode throughput on ${corpus}: ${bytes.toLocaleString('en-US')} bytes, fastest of ${repeats}`,
  );

  const files = gpt2FilesFromTiktoken();
  const gpt2Json = gpt2TokenizerJson({ encoder: files.encoderJson, merges: files.vocabBpe });
  const gpt2Fast = HfTokenizer.fromJSON(gpt2Json);
  const gpt2Library = HfTokenizer.fromJSON(gpt2Json, { useLibraryEncoder: true });
  const trainStart = performance.now();
  const trained = trainBpe(text.slice(0, Math.floor(text.length * 0.9)), {
    vocabSize: 4096,
    specialTokens: ['<|endoftext|>'],
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const trainedLibrary = HfTokenizer.fromJSON(trained.json, { useLibraryEncoder: true });
  const char = CharTokenizer.fromCorpus(text);
  log(
    `trainBpe: 4,096 ids (${trained.merges.length} merges) on 90% of it in ${trainSeconds.toFixed(2)} s`,
  );

  const reference = gptTokenizerEncode(text);
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((id, i) => id === b[i]);
  if (!same(gpt2Fast.encode(text), reference))
    throw new Error('GPT-2 fast encoder: ids differ from gpt-tokenizer');
  if (!same(gpt2Library.encode(text), reference))
    throw new Error('GPT-2 library encoder: ids differ from gpt-tokenizer');
  if (!same(trained.tokenizer.encode(text), trainedLibrary.encode(text))) {
    throw new Error('trained BPE: fast encoder and library disagree');
  }
  if (char.decode(char.encode(text)) !== text) throw new Error('char tokenizer: round trip failed');
  log(
    `checked: both GPT-2 encoders give gpt-tokenizer's ${reference.length.toLocaleString('en-US')} ids; the trained tokenizer's encoders agree`,
  );

  const encoders: [string, (s: string) => unknown][] = [
    ['gpt-tokenizer r50k_base', gptTokenizerEncode],
    ['GPT-2, @huggingface/tokenizers', (s) => gpt2Library.encode(s)],
    ['GPT-2, ByteLevelBpe (default)', (s) => gpt2Fast.encode(s)],
    ['trained 4k BPE, @huggingface/tokenizers', (s) => trainedLibrary.encode(s)],
    ['trained 4k BPE, ByteLevelBpe (default)', (s) => trained.tokenizer.encode(s)],
    ['CharTokenizer', (s) => (char as Tokenizer).encode(s)],
  ];
  const best = new Map<string, number>(encoders.map(([name]) => [name, Number.POSITIVE_INFINITY]));
  for (let pass = 0; pass < repeats; pass++) {
    for (const [name, encode] of encoders) {
      const start = performance.now();
      encode(text);
      best.set(name, Math.min(best.get(name)!, performance.now() - start));
    }
  }
  const mbPerSecond: Record<string, number> = {};
  const ratioToGptTokenizer: Record<string, number> = {};
  const peer = bytes / 1e6 / (best.get(encoders[0]![0])! / 1000);
  log('');
  log(`${'encoder'.padEnd(42)} ${'MB/s'.padStart(7)} ${'vs gpt-tokenizer'.padStart(17)}`);
  for (const [name] of encoders) {
    const rate = bytes / 1e6 / (best.get(name)! / 1000);
    mbPerSecond[name] = round(rate);
    ratioToGptTokenizer[name] = round(rate / peer);
    log(
      `${name.padEnd(42)} ${rate.toFixed(2).padStart(7)} ${`${(rate / peer).toFixed(2)}x`.padStart(17)}`,
    );
  }
  const report: TokenizerThroughputReport = {
    bench: 'tokenizer-throughput',
    corpus,
    bytes,
    repeats,
    mbPerSecond,
    ratioToGptTokenizer,
    trainSeconds: round(trainSeconds),
    quick,
  };
  log(JSON.stringify(report));
  return report;
}

const round = (x: number) => Math.round(x * 100) / 100;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : undefined;
  };
  const repeats = option('--repeats');
  await runTokenizerThroughput({
    dataDir: option('--data'),
    quick: args.includes('--quick'),
    repeats: repeats === undefined ? undefined : Number(repeats),
  });
}
