/**
 * The prompt built from the top passages and the query.
 *
 * A model with a long context (512 tokens or more: a SmolLM or TinyLlama loaded with
 * @x/lm's `loadModel`) gets the usual grounded template: numbered passages, the
 * question, `Answer:`. The bundled model is a character-level Shakespeare model with a
 * 128-character context, which can neither hold several passages nor answer questions:
 * it gets the top passage's speaker and its line that best matches the query, and
 * continues the speech; the retrieved passages still ground the continuation through
 * Medusa's n-gram branches, which copy spans of them when the model agrees.
 */
import type { Passage } from '../corpus/passage.js';

/** Options of `buildPrompt`. */
export interface PromptOptions {
  /** The model's context in tokens. */
  context: number;
  /** Tokens to leave for the continuation before the window slides. */
  reserve: number;
  /** Query terms as the index analyses them, to find the best line (lower-case stems). */
  matches: (line: string) => number;
}

/**
 * Builds the prompt.
 * @param query - the user's query
 * @param passages - the top passages, best first
 * @param options - context, reserve and the line matcher
 * @returns the prompt text
 * @example
 * buildPrompt('what light', [{ id: 's1', title: 'ROMEO', text: 'But, soft! what light...' }], { context: 128, reserve: 64, matches });
 * // 'ROMEO:\nBut, soft! what light through yonder window breaks?\n'
 */
export function buildPrompt(
  query: string,
  passages: readonly Passage[],
  options: PromptOptions,
): string {
  const budget = Math.max(16, options.context - options.reserve);
  if (options.context >= 512) return groundedTemplate(query, passages, budget * 3);
  const top = passages[0];
  if (!top) return `${query.slice(0, budget - 1)}\n`;
  const lines = top.text.split('\n').filter((l) => l.trim() !== '');
  let best = lines[0] ?? '';
  let bestScore = -1;
  for (const line of lines) {
    const score = options.matches(line);
    if (score > bestScore) [best, bestScore] = [line, score];
  }
  const speaker = top.title === '' ? '' : `${top.title}:\n`;
  const room = Math.max(8, budget - speaker.length - 1);
  return `${speaker}${best.length > room ? best.slice(best.length - room) : best}\n`;
}

function groundedTemplate(query: string, passages: readonly Passage[], chars: number): string {
  const question = `\nQuestion: ${query}\nAnswer:`;
  let room = Math.max(0, chars - question.length - 'Passages:\n'.length);
  const parts: string[] = [];
  passages.forEach((p, i) => {
    const line = `[${i + 1}] ${p.title === '' ? '' : `${p.title}: `}${p.text.replace(/\s+/g, ' ')}\n`;
    if (room <= 0) return;
    parts.push(line.length > room ? `${line.slice(0, room - 1)}\n` : line);
    room -= line.length;
  });
  return `Passages:\n${parts.join('')}${question}`;
}
