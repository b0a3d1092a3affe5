/**
 * Retrieval prompts, as a search-plus-LLM pipeline makes them: the corpus is
 * cut into passages (speeches: a speaker line and its text, up to a blank
 * line) and indexed with @x/inverted-index (BM25); for a query made of words
 * of one speech, the top passage is retrieved and the prompt is that
 * passage, a blank line, and the start of the query's speech for the model
 * to continue. The passage is in the prompt, so prompt lookup can copy
 * from it where the model's continuation does.
 */
import { InvertedIndex } from '@x/inverted-index';
import { Generator } from '@x/tensor';
import type { BenchPrompt } from './decoding.js';

/** A retrieval prompt and how it was found. */
export interface RetrievalPrompt extends BenchPrompt {
  readonly query: string;
  /** Whether the top passage was the speech the query came from. */
  readonly hit: boolean;
}

/**
 * Builds retrieval prompts.
 * @param corpus - the text
 * @param count - prompts wanted
 * @param context - the model's context in characters (prompt + continuation must fit)
 * @param continuation - characters left for the continuation
 * @param seed - which speeches
 */
export function retrievalPrompts(
  corpus: string,
  count: number,
  context: number,
  continuation: number,
  seed = 1,
): { prompts: RetrievalPrompt[]; passages: number; hitRate: number } {
  const speeches = corpus
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => /^[A-Z][A-Za-z ]*:\n/.test(s));
  const index = new InvertedIndex({ fields: ['text'], storeFields: ['text'] });
  index.addAll(speeches.map((text, id) => ({ id, text })));
  // passages that fit: the prompt is passage + "\n\n" + speaker + ":\n" + a few words
  const budget = context - continuation;
  const candidates = speeches
    .map((text, id) => ({ text, id }))
    .filter(({ text }) => text.length >= 40 && text.length <= budget - 30);
  const generator = new Generator(seed);
  const prompts: RetrievalPrompt[] = [];
  let hits = 0;
  for (let tries = 0; prompts.length < count && tries < count * 20; tries++) {
    const { text } = candidates[generator.integer(0, candidates.length)]!;
    const [speaker, ...lines] = text.split('\n');
    const body = lines.join('\n');
    const words = body.split(/\s+/).filter((w) => /^[A-Za-z']{4,}$/.test(w));
    if (words.length < 3) continue;
    const query = words.slice(0, 3).join(' ');
    const top = index.search(query, { k: 1, syntax: 'plain' })[0];
    if (!top) continue;
    const passage = String(top.fields!.text);
    const start = `${speaker}\n${body.split(' ').slice(0, 2).join(' ')}`;
    const prompt = `${passage}\n\n${start}`;
    if (prompt.length > budget) continue;
    const hit = passage === text;
    if (hit) hits++;
    prompts.push({ prompt, query, hit, passages: [] });
  }
  return {
    prompts,
    passages: speeches.length,
    hitRate: prompts.length ? hits / prompts.length : 0,
  };
}
