/**
 * A Llama-2 / TinyLlama `tokenizer.json`, built at test time from the
 * vocabulary and merges that the `llama-tokenizer-js` npm package ships (the
 * LLaMA 32,000-token SentencePiece BPE vocabulary, with byte fallback
 * tokens `<0x00>`..`<0xFF>` at ids 3..258). The layout is the one Hugging
 * Face publishes for `meta-llama/Llama-2-7b-hf` and TinyLlama (legacy
 * normalizer: prepend `▁`, spaces to `▁`; no pre-tokenizer; BPE with
 * `byte_fallback` and `fuse_unk`; a decoder that undoes all of it), with
 * the tokenizer_config.json special tokens. Nothing is downloaded.
 */
import llamaTokenizer from 'llama-tokenizer-js';

/** The Llama tokenizer.json and tokenizer_config.json documents. */
export function llamaTokenizerFiles(): {
  json: Record<string, unknown>;
  config: Record<string, unknown>;
} {
  const vocabById = llamaTokenizer.vocabById;
  const vocab: Record<string, number> = {};
  vocabById.forEach((token, id) => {
    vocab[token] = id;
  });
  const merges: [string, string][] = [];
  const byPriority = [...llamaTokenizer.merges.entries()].sort((a, b) => a[1] - b[1]);
  for (const [key] of byPriority) {
    // keys are `left right`; no Llama token contains a space, so the split is unique
    const cut = key.indexOf(' ');
    merges.push([key.slice(0, cut), key.slice(cut + 1)]);
  }
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '▁' },
        { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges,
    },
  };
  const config = {
    add_bos_token: true,
    add_eos_token: false,
    bos_token: {
      __type: 'AddedToken',
      content: '<s>',
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
    },
    eos_token: {
      __type: 'AddedToken',
      content: '</s>',
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
    },
    unk_token: {
      __type: 'AddedToken',
      content: '<unk>',
      lstrip: false,
      normalized: false,
      rstrip: false,
      single_word: false,
    },
    pad_token: null,
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: 2048,
    tokenizer_class: 'LlamaTokenizer',
  };
  return { json, config };
}
