/**
 * Generation end to end on small random checkpoints: greedy decoding with
 * the cache equals argmax of a full forward recomputed at every step;
 * seeds reproduce; stop strings, stop ids, budgets and abort end a
 * continuation where they should; streamed pieces add up to the text and
 * never show a stop string or a broken character; a batch gives what each
 * prompt gives alone.
 */
import { noGrad } from '@x/tensor';
import { describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama, randomMamba } from '../../test/checkpoints.js';
import { alphabetTokenizer, byteTokenizer } from '../../test/stub-tokenizers.js';
import { InputError, LmValueError } from '../errors.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';
import { generate, generateBatch, promptIds, stopIdsOf, streamText } from './generate.js';
import { argmax } from './sampling.js';

const tokenizer = alphabetTokenizer();
const gpt2 = () => {
  const c = randomGpt2({ vocab: 32, positions: 64 });
  return modelFromCheckpoint(
    { ...c.config, eos_token_id: null, bos_token_id: null },
    asTensors(c.weights),
  );
};
const models = {
  gpt2,
  llama: () => {
    const c = randomLlama({ vocab: 32 });
    return modelFromCheckpoint(
      { ...c.config, eos_token_id: null, bos_token_id: null },
      asTensors(c.weights),
    );
  },
  mamba: () => {
    const c = randomMamba({ vocab: 32 });
    return modelFromCheckpoint(c.config, asTensors(c.weights));
  },
};

describe.each(Object.entries(models))('%s', (_, make) => {
  it('greedy decoding with the cache equals argmax of the full forward at every step', async () => {
    const model = make();
    const prompt = 'the cat sat';
    const result = await generate(model, tokenizer, prompt, { maxTokens: 20 });
    expect(result.ids).toHaveLength(20);
    expect(result.finishReason).toBe('length');
    const sequence = tokenizer.encode(prompt);
    noGrad(() => {
      for (const id of result.ids) {
        const logits = model.forward([sequence]).logits;
        const V = logits.shape[2]!;
        const last = logits.toTypedArray().subarray((sequence.length - 1) * V);
        expect(argmax(last)).toBe(id);
        sequence.push(id);
      }
    });
    expect(result.text).toBe(tokenizer.decode(result.ids));
    expect(result.stats.promptTokens).toBe(11);
    expect(result.stats.decodeTokensPerSecond).toBeGreaterThan(0);
    expect(result.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(result.stats.prefillMs);
  });

  it("a batch of prompts of different lengths gives each prompt's own continuation", async () => {
    const model = make();
    const prompts = ['to be or not', 'a', 'hello there'];
    for (const options of [
      { maxTokens: 8 },
      { maxTokens: 8, temperature: 0.9, topK: 10, seed: 5 },
    ]) {
      const batch = await generateBatch(model, tokenizer, prompts, options);
      for (const [i, prompt] of prompts.entries())
        expect(batch[i]!.ids).toEqual((await generate(model, tokenizer, prompt, options)).ids);
    }
  });
});

describe('options', () => {
  const model = gpt2();

  it('the same seed gives the same text; sampling differs from greedy', async () => {
    const options = { maxTokens: 30, temperature: 1, topP: 0.9, seed: 42 };
    const a = await generate(model, tokenizer, 'once upon', options);
    const b = await generate(model, tokenizer, 'once upon', options);
    expect(a.text).toBe(b.text);
    const c = await generate(model, tokenizer, 'once upon', { ...options, seed: 43 });
    expect(c.text).not.toBe(a.text);
  });

  it('stop strings cut the text, and streamed pieces add up to it without showing the stop', async () => {
    const free = await generate(model, tokenizer, 'x', { maxTokens: 40, temperature: 1, seed: 1 });
    const stop = free.text.slice(10, 12);
    const expected = free.text.slice(0, free.text.indexOf(stop));
    const stream = streamText(model, tokenizer, 'x', {
      maxTokens: 40,
      temperature: 1,
      seed: 1,
      stop: [stop],
    });
    let streamed = '';
    let step = await stream.next();
    while (!step.done) {
      streamed += step.value.text;
      step = await stream.next();
    }
    expect(step.value.finishReason).toBe('stop');
    expect(step.value.text).toBe(expected);
    expect(streamed).toBe(expected);
  });

  it('stop ids end the continuation before the stop token', async () => {
    const free = await generate(model, tokenizer, 'ab', { maxTokens: 10 });
    const stopId = free.ids[4]!;
    const first = free.ids.indexOf(stopId);
    const stopped = await generate(model, tokenizer, 'ab', { maxTokens: 10, stopIds: [stopId] });
    expect(stopped.finishReason).toBe('eos');
    expect(stopped.ids).toEqual(free.ids.slice(0, first));
    const eosTokenizer = alphabetTokenizer(undefined, stopId);
    expect((await generate(model, eosTokenizer, 'ab', { maxTokens: 10 })).ids).toEqual(
      free.ids.slice(0, first),
    );
  });

  it('promptIds and stopIdsOf give what generate feeds and stops at', async () => {
    expect(promptIds(model, tokenizer, 'ab')).toEqual([0, 1]);
    expect(promptIds(model, alphabetTokenizer(), 'ab', { addBos: true })).toEqual([0, 1]);
    const withBos = { ...alphabetTokenizer(), special: { bos: 5 } };
    expect(promptIds(model, withBos, 'ab', { addBos: true })).toEqual([5, 0, 1]);
    expect(promptIds(model, withBos, 'ab')).toEqual([0, 1]);
    expect(() => promptIds(model, tokenizer, '')).toThrow(InputError);
    expect(stopIdsOf(model, tokenizer)).toEqual([]);
    expect(stopIdsOf(model, alphabetTokenizer(undefined, 7))).toEqual([7]);
    expect(stopIdsOf(model, alphabetTokenizer(undefined, 7), { stopIds: [3] })).toEqual([3]);
  });

  it('an AbortSignal stops between tokens', async () => {
    const controller = new AbortController();
    const stream = streamText(model, tokenizer, 'q', {
      maxTokens: 50,
      temperature: 1,
      seed: 3,
      signal: controller.signal,
    });
    let pieces = 0;
    let step = await stream.next();
    while (!step.done) {
      if (++pieces === 3) controller.abort();
      step = await stream.next();
    }
    expect(step.value.finishReason).toBe('abort');
    expect(step.value.ids.length).toBeLessThan(50);
  });

  it('stops at the context length; names bad arguments', async () => {
    const result = await generate(model, tokenizer, 'a'.repeat(60), { maxTokens: 100 });
    expect(result.finishReason).toBe('length');
    expect(result.ids).toHaveLength(5);
    await expect(generate(model, tokenizer, 'a'.repeat(65))).rejects.toThrow(
      "the prompt has 65 tokens, the model's context is 64",
    );
    await expect(generate(model, tokenizer, '')).rejects.toThrow(InputError);
    await expect(generate(model, tokenizer, 'a', { temperature: -1 })).rejects.toThrow(
      LmValueError,
    );
    await expect(generate(model, tokenizer, 'a', { maxTokens: -1 })).rejects.toThrow(
      'maxTokens must be a non-negative integer',
    );
    expect((await generate(model, tokenizer, 'a', { maxTokens: 0 })).ids).toEqual([]);
  });

  it('contextOverflow: slide keeps going past the context from the last half of it', async () => {
    const result = await generate(model, tokenizer, 'abc', {
      maxTokens: 100,
      contextOverflow: 'slide',
    });
    expect(result.ids).toHaveLength(100);
    // reference: the same policy written out with full forwards (no cache)
    const seq = tokenizer.encode('abc');
    let start = 0;
    noGrad(() => {
      for (const id of result.ids) {
        const window = seq.slice(start);
        const logits = model.forward([window]).logits;
        const V = logits.shape[2]!;
        expect(argmax(logits.toTypedArray().subarray((window.length - 1) * V))).toBe(id);
        seq.push(id);
        if (seq.length - start > 64) start = seq.length - 32;
      }
    });
    await expect(
      generateBatch(model, tokenizer, ['a', 'b'], { contextOverflow: 'slide' }),
    ).rejects.toThrow('contextOverflow: slide works on one sequence at a time');
    const long = await generate(model, tokenizer, 'z'.repeat(80), {
      maxTokens: 3,
      contextOverflow: 'slide',
    });
    expect(long.ids).toHaveLength(3);
  });

  it('streamed text never shows a broken UTF-8 character', async () => {
    const c = randomGpt2({ vocab: 256, positions: 200 });
    const bytes = modelFromCheckpoint({ ...c.config, eos_token_id: null }, asTensors(c.weights));
    const byteTok = byteTokenizer();
    const stream = streamText(bytes, byteTok, 'é', { maxTokens: 120, temperature: 1.5, seed: 9 });
    const pieces: string[] = [];
    let step = await stream.next();
    while (!step.done) {
      pieces.push(step.value.text);
      step = await stream.next();
    }
    // never takes text back: the pieces are a prefix of the final text, which ends at most in a held-back partial character
    expect(step.value.text.startsWith(pieces.join(''))).toBe(true);
    expect(step.value.text.slice(pieces.join('').length)).toMatch(/^\uFFFD*$/);
  });
});
