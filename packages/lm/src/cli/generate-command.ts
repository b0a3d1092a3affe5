/**
 * `x-lm generate`: streams a continuation of a prompt from a checkpoint
 * folder to stdout, and the timings to stderr.
 */
import { setWasmThreads } from '@x/tensor';
import { streamText } from '../generate/generate.js';
import { loadModel } from '../node/model-files.js';
import { loadTokenizer } from '../node/tokenizer-files.js';

/** Options of `x-lm generate`. */
export interface GenerateCommandOptions {
  model: string;
  maxTokens?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  repetitionPenalty?: number;
  seed?: number;
  stop?: string[];
  threads?: number;
  json?: boolean;
  contextOverflow?: 'stop' | 'slide';
}

/** Runs `x-lm generate`. */
export async function generateCommand(
  prompt: string,
  options: GenerateCommandOptions,
): Promise<void> {
  if (options.threads !== undefined) setWasmThreads(options.threads);
  const model = await loadModel(options.model);
  const tokenizer = await loadTokenizer(options.model);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const stream = streamText(model, tokenizer, prompt, {
    maxTokens: options.maxTokens ?? 200,
    temperature: options.temperature ?? 0.8,
    topK: options.topK ?? 0,
    topP: options.topP ?? 1,
    minP: options.minP ?? 0,
    repetitionPenalty: options.repetitionPenalty ?? 1,
    seed: options.seed ?? 0,
    stop: options.stop ?? [],
    signal: controller.signal,
    contextOverflow: options.contextOverflow ?? 'slide',
  });
  if (!options.json) process.stdout.write(prompt);
  let step = await stream.next();
  while (!step.done) {
    if (!options.json) process.stdout.write(step.value.text);
    step = await stream.next();
  }
  const { text, finishReason, stats } = step.value;
  if (options.json) console.log(JSON.stringify({ prompt, text, finishReason, stats }));
  else {
    process.stdout.write('\n');
    process.stderr.write(
      `[${stats.generatedTokens} tokens, ${finishReason}; prefill ${stats.prefillTokensPerSecond.toFixed(0)} tok/s, first token ${stats.timeToFirstTokenMs.toFixed(0)} ms, decode ${stats.decodeTokensPerSecond.toFixed(1)} tok/s]\n`,
    );
  }
}
