/**
 * GGUF export checked with an independent parser (`@huggingface/gguf`):
 * the container (every value type, alignment, offsets), Q8_0 against a
 * float64 oracle of ggml's rules, each architecture's tensors against the
 * Hugging Face checkpoint they came from (Conv1D transposed; q / k rows
 * permuted so that llama.cpp's adjacent-pair RoPE gives the same attention
 * scores as Hugging Face's rotate-half RoPE; Mamba's A = -exp(A_log)), the
 * tokenizer vocabulary (a BPE over the written merges gives one token per
 * character), and the refusals. The files running in llama.cpp itself are
 * `gguf-llama-cpp.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { asTensors, randomGpt2, randomLlama, randomMamba } from '../../test/checkpoints.js';
import { f32Values, parseGgufFile, writeGgufFile } from '../../test/gguf-file.js';
import { ExportError } from '../errors.js';
import { modelFromCheckpoint } from '../io/checkpoint.js';
import { createModel } from '../models/build.js';
import { parseModelConfig } from '../models/config.js';
import { trainBpe } from '../tokenizers/bpe-trainer.js';
import { CharTokenizer } from '../tokenizers/char-tokenizer.js';
import { HfTokenizer } from '../tokenizers/hf-tokenizer.js';
import { toGguf } from './gguf.js';
import { dequantizeQ8_0, quantizeQ8_0 } from './gguf-encode.js';
import { ggufBytes } from './gguf-writer.js';

const corpus = 'To be, or not to be: that is the question.\nWhether tis nobler — café 中文 🎭\n';

describe('the GGUF container', () => {
  it('writes every value type, arrays, tensors at aligned offsets, read back by @huggingface/gguf', async () => {
    const a = new Float32Array([1, -2.5, 3.25]); // 12 bytes: the next tensor needs padding
    const b = new Float32Array(64).map((_, i) => i / 7);
    const parts = ggufBytes(
      {
        'general.architecture': { type: 'string', value: 'llama' },
        'x.u8': { type: 'uint8', value: 255 },
        'x.i8': { type: 'int8', value: -128 },
        'x.u16': { type: 'uint16', value: 65535 },
        'x.i16': { type: 'int16', value: -32768 },
        'x.u32': { type: 'uint32', value: 4294967295 },
        'x.i32': { type: 'int32', value: -2147483648 },
        'x.f32': { type: 'float32', value: 0.1 },
        'x.f64': { type: 'float64', value: 0.1 },
        'x.bool': { type: 'bool', value: true },
        'x.u64': { type: 'uint64', value: 2n ** 63n },
        'x.i64': { type: 'int64', value: -(2n ** 62n) },
        'x.str': { type: 'string', value: 'héllo 中' },
        'x.strs': { type: 'array', itemType: 'string', value: ['a', '', 'Ġb'] },
        'x.ints': { type: 'array', itemType: 'int32', value: [1, -2, 3] },
      },
      [
        { name: 'a', ne: [3], type: 'F32', data: new Uint8Array(a.buffer) },
        { name: 'b', ne: [32, 2], type: 'Q8_0', data: quantizeQ8_0(b) },
      ],
    );
    const file = await parseGgufFile(writeGgufFile(parts));
    const m = file.metadata;
    const typed = (key: string) => [m[key]!.type, m[key]!.value];
    expect(typed('x.u8')).toEqual([0, 255]);
    expect(typed('x.i8')).toEqual([1, -128]);
    expect(typed('x.u16')).toEqual([2, 65535]);
    expect(typed('x.i16')).toEqual([3, -32768]);
    expect(typed('x.u32')).toEqual([4, 4294967295]);
    expect(typed('x.i32')).toEqual([5, -2147483648]);
    expect(m['x.f32']!.type).toBe(6);
    expect(m['x.f32']!.value).toBe(Math.fround(0.1));
    expect(typed('x.bool')).toEqual([7, true]);
    expect(typed('x.str')).toEqual([8, 'héllo 中']);
    expect(typed('x.u64')).toEqual([10, 2n ** 63n]);
    expect(typed('x.i64')).toEqual([11, -(2n ** 62n)]);
    expect(typed('x.f64')).toEqual([12, 0.1]);
    expect(m['x.strs']).toMatchObject({ type: 9, subType: 8, value: ['a', '', 'Ġb'] });
    expect(m['x.ints']).toMatchObject({ type: 9, subType: 5, value: [1, -2, 3] });
    expect(m.version!.value).toBe(3);
    expect(file.dataOffset % 32).toBe(0);
    const ta = file.tensors.get('a')!;
    const tb = file.tensors.get('b')!;
    expect([ta.ne, ta.dtype, ta.offset]).toEqual([[3], 0, 0]);
    expect([tb.ne, tb.dtype, tb.offset]).toEqual([[32, 2], 8, 32]);
    expect([...f32Values(ta.bytes)]).toEqual([1, -2.5, 3.25]);
    expect(dequantizeQ8_0(tb.bytes)).toEqual(dequantizeQ8_0(quantizeQ8_0(b)));
    expect(file.size).toBe(file.dataOffset + 32 + 96);
  });

  it('refuses values outside their type, duplicate names and data of the wrong size', () => {
    const arch = { 'general.architecture': { type: 'string', value: 'gpt2' } } as const;
    expect(() => ggufBytes({ ...arch, k: { type: 'uint8', value: 256 } }, [])).toThrow(
      /metadata "k": 256 is not a valid uint8/,
    );
    expect(() => ggufBytes({ ...arch, k: { type: 'int32', value: 1.5 } }, [])).toThrow(ExportError);
    const t = { name: 't', ne: [2], type: 'F32', data: new Uint8Array(8) } as const;
    expect(() => ggufBytes(arch, [t, t])).toThrow(/tensor "t" is listed twice/);
    expect(() => ggufBytes(arch, [{ ...t, data: new Uint8Array(4) }])).toThrow(
      /F32 ne \[2\] takes 8 bytes, got 4/,
    );
    expect(() => ggufBytes(arch, [{ ...t, type: 'Q8_0', ne: [30] }])).toThrow(
      /multiple of 32, got ne \[30\]/,
    );
  });
});

describe('Q8_0', () => {
  /** ggml's quantize_row_q8_0_ref in float32 arithmetic, written out: d = amax/127, q = roundf(x/d). */
  function oracle(x: number[]): { d: number; q: number[] } {
    const f = Math.fround;
    const amax = Math.max(...x.map((v) => Math.abs(v)));
    const d = f(amax / 127);
    const id = d === 0 ? 0 : f(1 / d);
    const q = x.map((v) => {
      const y = f(v * id);
      return y < 0 ? -Math.round(-y) : Math.round(y); // Math.round is half-up; mirrored: half away from zero
    });
    return { d, q };
  }

  it('matches the reference rounding, ties away from zero and the float16 scale', () => {
    // amax 127 gives d = 1 exactly: the quants are x rounded, so ±0.5, ±1.5, ±2.5 are ties
    const ties = [127, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49, -0.51, 126.5, -127];
    const x = new Float32Array(64);
    x.set(ties);
    for (let i = 32; i < 64; i++) x[i] = Math.fround(Math.sin(i) * 3.7);
    const blocks = quantizeQ8_0(x);
    const view = new DataView(blocks.buffer);
    for (let b = 0; b < 2; b++) {
      const want = oracle([...x.subarray(32 * b, 32 * b + 32)]);
      const q = [...new Int8Array(blocks.buffer, 34 * b + 2, 32)];
      expect(q).toEqual(want.q);
      const scale = dequantizeQ8_0(blocks.subarray(34 * b, 34 * b + 34))[0]! / (q[0] || 1);
      // the written scale is float16(d): within half a float16 ulp of d
      expect(Math.abs(scale - want.d)).toBeLessThanOrEqual(want.d * 2 ** -11);
      expect(view.getUint16(34 * b, true)).toBeGreaterThan(0);
    }
    expect([...new Int8Array(blocks.buffer, 2, 11)]).toEqual([
      127, 1, -1, 2, -2, 3, -3, 0, -1, 127, -127,
    ]);
  });

  it('an all-zero block has scale 0 and zero quants; error stays within half a step', () => {
    expect([...quantizeQ8_0(new Float32Array(32))]).toEqual(new Array(34).fill(0));
    const x = new Float32Array(4096).map((_, i) => Math.fround(Math.cos(i * 1.3) * (1 + (i % 7))));
    const y = dequantizeQ8_0(quantizeQ8_0(x));
    for (let b = 0; b < 128; b++) {
      const block = x.subarray(32 * b, 32 * b + 32);
      const step = Math.max(...block.map(Math.abs)) / 127;
      for (let j = 0; j < 32; j++)
        expect(Math.abs(y[32 * b + j]! - block[j]!)).toBeLessThanOrEqual(
          step * (0.5 + 127 * 2 ** -11),
        );
    }
  });
});

/** HF weights by name as float32 row-major arrays. */
function hf(weights: Record<string, { data: Float64Array }>, name: string): Float32Array {
  return Float32Array.from(weights[name]!.data);
}

describe('architecture layouts', () => {
  it('gpt2: names, Conv1D weights transposed to [out, in], metadata with their types', async () => {
    const ckpt = randomGpt2({ vocab: 300, D: 16, heads: 2, layers: 2, positions: 32 });
    const model = modelFromCheckpoint(ckpt.config, asTensors(ckpt.weights));
    const { tokenizer } = trainBpe(corpus.repeat(3), {
      vocabSize: 300,
      specialTokens: ['<|endoftext|>'],
    });
    const out = toGguf(model, { tokenizer });
    const file = await parseGgufFile(writeGgufFile(out.parts));
    const m = file.metadata;
    expect(m['general.architecture']).toMatchObject({ type: 8, value: 'gpt2' });
    expect(m['gpt2.context_length']).toMatchObject({ type: 4, value: 32 });
    expect(m['gpt2.embedding_length']).toMatchObject({ type: 4, value: 16 });
    expect(m['gpt2.feed_forward_length']).toMatchObject({ type: 4, value: 64 });
    expect(m['gpt2.block_count']).toMatchObject({ type: 4, value: 2 });
    expect(m['gpt2.attention.head_count']).toMatchObject({ type: 4, value: 2 });
    expect(m['gpt2.attention.layer_norm_epsilon']).toMatchObject({
      type: 6,
      value: Math.fround(1e-5),
    });
    expect(m['general.file_type']).toMatchObject({ type: 4, value: 0 });
    expect(m['tokenizer.ggml.model']!.value).toBe('gpt2');
    expect(m['tokenizer.ggml.tokens']).toMatchObject({ type: 9, subType: 8 });
    expect(m['tokenizer.ggml.token_type']).toMatchObject({ type: 9, subType: 5 });
    const tokens = m['tokenizer.ggml.tokens']!.value as string[];
    expect(tokens.length).toBe(300);
    for (let id = 0; id < tokenizer.vocabSize; id++)
      expect(tokens[id]).toBe(tokenizer.idToToken(id));
    const merges = m['tokenizer.ggml.merges']!.value as string[];
    const json = tokenizer.toJSON() as { model: { merges: (string | string[])[] } };
    expect(merges).toEqual(json.model.merges.map((x) => (Array.isArray(x) ? x.join(' ') : x)));
    const eot = tokenizer.tokenToId('<|endoftext|>')!;
    expect((m['tokenizer.ggml.token_type']!.value as number[])[eot]).toBe(3);
    expect(file.tensors.has('output.weight')).toBe(false); // tied: llama.cpp reads token_embd
    const D = 16;
    const qkv = file.tensors.get('blk.1.attn_qkv.weight')!;
    expect(qkv.ne).toEqual([D, 3 * D]);
    const written = f32Values(qkv.bytes);
    const source = hf(ckpt.weights, 'transformer.h.1.attn.c_attn.weight'); // [D, 3D]
    for (let o = 0; o < 3 * D; o++)
      for (let i = 0; i < D; i++) expect(written[o * D + i]).toBe(source[i * 3 * D + o]);
    const down = file.tensors.get('blk.0.ffn_down.weight')!;
    expect(down.ne).toEqual([4 * D, D]);
    expect(file.tensors.get('position_embd.weight')!.ne).toEqual([D, 32]);
    expect([...f32Values(file.tensors.get('output_norm.bias')!.bytes)]).toEqual([
      ...hf(ckpt.weights, 'transformer.ln_f.bias'),
    ]);
    expect(file.tensors.size).toBe(4 + 2 * 12);
  });

  it('llama: q / k permuted so that adjacent-pair RoPE on them equals rotate-half RoPE on the checkpoint', async () => {
    const heads = 4;
    const kvHeads = 2;
    const D = 32;
    const d = D / heads;
    const ckpt = randomLlama({ vocab: 41, D, heads, kvHeads, I: 48, theta: 10000 });
    const model = modelFromCheckpoint(ckpt.config, asTensors(ckpt.weights));
    const tokenizer = CharTokenizer.fromCorpus(corpus);
    const file = await parseGgufFile(
      writeGgufFile(toGguf(model, { tokenizer: padded(tokenizer, 41) }).parts),
    );
    const m = file.metadata;
    expect(m['llama.attention.head_count']!.value).toBe(4);
    expect(m['llama.attention.head_count_kv']!.value).toBe(2);
    expect(m['llama.rope.dimension_count']!.value).toBe(d);
    expect(m['llama.rope.freq_base']).toMatchObject({ type: 6, value: 10000 });
    expect(m['llama.attention.layer_norm_rms_epsilon']).toMatchObject({ type: 6 });
    expect(file.tensors.get('output.weight')!.ne).toEqual([D, 41]);
    const x = Float32Array.from({ length: D }, (_, i) => Math.sin(i + 1));
    const y = Float32Array.from({ length: D }, (_, i) => Math.cos(3 * i));
    const project = (w: Float32Array, v: Float32Array, rows: number) =>
      Float64Array.from({ length: rows }, (_, r) => {
        let s = 0;
        for (let c = 0; c < D; c++) s += w[r * D + c]! * v[c]!;
        return s;
      });
    /** HF: pairs (j, j + d/2). llama.cpp's LLAMA rope: pairs (2j, 2j + 1). Frequencies theta^(-2j/d) both. */
    const rope = (v: Float64Array, pos: number, style: 'half' | 'adjacent') => {
      const out = Float64Array.from(v);
      for (let h = 0; h < v.length / d; h++)
        for (let j = 0; j < d / 2; j++) {
          const angle = pos * 10000 ** ((-2 * j) / d);
          const [a, b] =
            style === 'half' ? [h * d + j, h * d + j + d / 2] : [h * d + 2 * j, h * d + 2 * j + 1];
          out[a] = v[a]! * Math.cos(angle) - v[b]! * Math.sin(angle);
          out[b] = v[b]! * Math.cos(angle) + v[a]! * Math.sin(angle);
        }
      return out;
    };
    const scores = (q: Float64Array, k: Float64Array) => {
      const s: number[] = [];
      for (let h = 0; h < heads; h++) {
        const g = Math.floor(h / (heads / kvHeads));
        let dot = 0;
        for (let i = 0; i < d; i++) dot += q[h * d + i]! * k[g * d + i]!;
        s.push(dot);
      }
      return s;
    };
    const hfQ = hf(ckpt.weights, 'model.layers.1.self_attn.q_proj.weight');
    const hfK = hf(ckpt.weights, 'model.layers.1.self_attn.k_proj.weight');
    const q = f32Values(file.tensors.get('blk.1.attn_q.weight')!.bytes);
    const k = f32Values(file.tensors.get('blk.1.attn_k.weight')!.bytes);
    const want = scores(
      rope(project(hfQ, x, D), 7, 'half'),
      rope(project(hfK, y, kvHeads * d), 3, 'half'),
    );
    const got = scores(
      rope(project(q, x, D), 7, 'adjacent'),
      rope(project(k, y, kvHeads * d), 3, 'adjacent'),
    );
    for (let h = 0; h < heads; h++) expect(got[h]).toBeCloseTo(want[h]!, 10);
    // without the permutation the scores differ: the check can fail
    const wrong = scores(
      rope(project(hfQ, x, D), 7, 'adjacent'),
      rope(project(hfK, y, kvHeads * d), 3, 'adjacent'),
    );
    expect(Math.max(...wrong.map((s, h) => Math.abs(s - want[h]!)))).toBeGreaterThan(1e-3);
    // v and o are not permuted
    expect(f32Values(file.tensors.get('blk.0.attn_v.weight')!.bytes)).toEqual(
      hf(ckpt.weights, 'model.layers.0.self_attn.v_proj.weight'),
    );
  });

  it('mamba: A = -exp(A_log), conv1d squeezed to [C, K], conv / x / dt / A kept F32 in a q8_0 file', async () => {
    const ckpt = randomMamba({ vocab: 64, D: 32, N: 4, K: 4, R: 2 });
    const model = modelFromCheckpoint(ckpt.config, asTensors(ckpt.weights));
    const tokenizer = padded(CharTokenizer.fromCorpus(corpus), 64);
    const out = toGguf(model, { tokenizer, type: 'q8_0' });
    const file = await parseGgufFile(writeGgufFile(out.parts));
    const m = file.metadata;
    expect(m['general.architecture']!.value).toBe('mamba');
    expect(m['mamba.ssm.inner_size']!.value).toBe(64);
    expect(m['mamba.ssm.state_size']!.value).toBe(4);
    expect(m['mamba.ssm.conv_kernel']!.value).toBe(4);
    expect(m['mamba.ssm.time_step_rank']!.value).toBe(2);
    expect(m['general.file_type']!.value).toBe(7);
    const a = file.tensors.get('blk.0.ssm_a')!;
    expect([a.ne, a.dtype]).toEqual([[4, 64], 0]);
    const aLog = hf(ckpt.weights, 'backbone.layers.0.mixer.A_log');
    f32Values(a.bytes).forEach((v, i) => expect(v).toBe(Math.fround(-Math.exp(aLog[i]!))));
    expect(file.tensors.get('blk.0.ssm_conv1d.weight')).toMatchObject({ ne: [4, 64], dtype: 0 });
    expect(file.tensors.get('blk.0.ssm_x.weight')!.dtype).toBe(0);
    expect(file.tensors.get('blk.0.ssm_in.weight')).toMatchObject({ ne: [32, 128], dtype: 8 });
    expect(file.tensors.get('blk.0.attn_norm.weight')!.dtype).toBe(0);
    const inProj = hf(ckpt.weights, 'backbone.layers.0.mixer.in_proj.weight');
    expect(dequantizeQ8_0(file.tensors.get('blk.0.ssm_in.weight')!.bytes)).toEqual(
      dequantizeQ8_0(quantizeQ8_0(inProj)),
    );
  });

  it('f16 and q8_0 types; rows not a multiple of 32 fall back to F16 and are listed', async () => {
    const ckpt = randomLlama({ vocab: 41, D: 16, heads: 2, kvHeads: 1, I: 32 });
    const model = modelFromCheckpoint(ckpt.config, asTensors(ckpt.weights));
    const tokenizer = padded(CharTokenizer.fromCorpus(corpus), 41);
    const f16 = await parseGgufFile(writeGgufFile(toGguf(model, { tokenizer, type: 'f16' }).parts));
    expect(f16.tensors.get('blk.0.attn_q.weight')!.dtype).toBe(1);
    expect(f16.tensors.get('blk.0.attn_norm.weight')!.dtype).toBe(0);
    const q8 = toGguf(model, { tokenizer, type: 'q8_0' });
    // D = 16 wide rows cannot be Q8_0; down_proj rows are I = 32 wide
    expect(q8.fallbacks).toContain('blk.0.attn_q.weight');
    expect(q8.tensors.find((t) => t.name === 'blk.0.ffn_down.weight')!.type).toBe('Q8_0');
    expect(q8.tensors.find((t) => t.name === 'blk.0.attn_q.weight')!.type).toBe('F16');
  });
});

/** A char tokenizer padded with extra characters up to `size` ids. */
function padded(tokenizer: CharTokenizer, size: number): CharTokenizer {
  const chars = [...tokenizer.vocabulary];
  for (let c = 0x41; chars.length < size; c++) {
    const ch = String.fromCodePoint(c);
    if (!chars.includes(ch)) chars.push(ch);
  }
  return CharTokenizer.fromCharacters(chars);
}

describe('the tokenizer vocabulary', () => {
  /** A plain BPE over byte-level symbols: repeatedly merge the adjacent pair of lowest rank. */
  function bpe(symbols: string[], merges: string[]): string[] {
    const rank = new Map(merges.map((m, i) => [m, i]));
    const s = [...symbols];
    for (;;) {
      let best = -1;
      let at = -1;
      for (let i = 0; i + 1 < s.length; i++) {
        const r = rank.get(`${s[i]} ${s[i + 1]}`);
        if (r !== undefined && (best < 0 || r < best)) [best, at] = [r, i];
      }
      if (at < 0) return s;
      s.splice(at, 2, s[at]! + s[at + 1]!);
    }
  }

  it('a character vocabulary becomes byte-level strings whose merges rebuild one token per character', async () => {
    const tokenizer = CharTokenizer.fromCorpus(corpus, { specialTokens: { eos: '<|endoftext|>' } });
    const model = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: tokenizer.vocabSize + 3,
        n_positions: 16,
        n_embd: 32,
        n_layer: 1,
        n_head: 2,
      }),
    );
    const file = await parseGgufFile(writeGgufFile(toGguf(model, { tokenizer }).parts));
    const tokens = file.metadata['tokenizer.ggml.tokens']!.value as string[];
    const types = file.metadata['tokenizer.ggml.token_type']!.value as number[];
    const merges = file.metadata['tokenizer.ggml.merges']!.value as string[];
    expect(tokens[tokenizer.tokenToId(' ')!]).toBe('Ġ');
    expect(tokens[tokenizer.tokenToId('\n')!]).toBe('Ċ');
    expect(tokens[tokenizer.tokenToId('a')!]).toBe('a');
    expect(tokens[tokenizer.tokenToId('é')!]).toBe('Ã©');
    expect(tokens[tokenizer.tokenToId('中')!]).toBe('ä¸Ń');
    expect(tokens[tokenizer.tokenToId('<|endoftext|>')!]).toBe('<|endoftext|>');
    expect(types[tokenizer.tokenToId('<|endoftext|>')!]).toBe(3);
    expect(tokens.slice(-3)).toEqual([0, 1, 2].map((i) => `[PAD${tokenizer.vocabSize + i}]`));
    expect(types.slice(-3)).toEqual([5, 5, 5]);
    expect(file.metadata['tokenizer.ggml.eos_token_id']).toMatchObject({
      type: 4,
      value: tokenizer.special.eos,
    });
    // GPT-2's byte alphabet applied to the UTF-8 of the text, then BPE with the written merges
    const byteChar = (b: number) =>
      (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae
        ? String.fromCharCode(b)
        : String.fromCharCode(
            256 +
              [...Array(256).keys()]
                .filter((x) => !((x >= 0x21 && x <= 0x7e) || (x >= 0xa1 && x <= 0xac) || x >= 0xae))
                .indexOf(b),
          );
    const text = corpus.replace('\n', ' ');
    const symbols = [...new TextEncoder().encode(text)].map(byteChar);
    const ids = bpe(symbols, merges).map((t) => tokens.indexOf(t));
    expect(ids).toEqual(tokenizer.encode(text));
  });

  it('refuses a lone surrogate, a SentencePiece-style tokenizer and a tokenizer larger than the model', () => {
    const model = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 40,
        n_positions: 16,
        n_embd: 32,
        n_layer: 1,
        n_head: 2,
      }),
    );
    const lone = CharTokenizer.fromCharacters(['a', '\ud800']);
    expect(() => toGguf(model, { tokenizer: lone })).toThrow(ExportError);
    expect(() => toGguf(model, { tokenizer: lone })).toThrow(
      /character 1 is a lone surrogate U\+D800/,
    );
    // a BPE tokenizer.json without the ByteLevel pre-tokenizer (SentencePiece-style files are such)
    const chars = CharTokenizer.fromCorpus(corpus);
    const notByteLevel = HfTokenizer.fromJSON(chars.toJSON());
    expect(() => toGguf(model, { tokenizer: notByteLevel })).toThrow(
      /not byte-level BPE in GPT-2's layout/,
    );
    const small = createModel(
      parseModelConfig({
        model_type: 'gpt2',
        vocab_size: 5,
        n_positions: 16,
        n_embd: 32,
        n_layer: 1,
        n_head: 2,
      }),
    );
    expect(() => toGguf(small, { tokenizer: chars })).toThrow(
      new RegExp(`the tokenizer has ${chars.vocabSize} ids, the model only 5 embedding rows`),
    );
    expect(() => toGguf(model, { tokenizer: padded(chars, 40), type: 'q4' as never })).toThrow(
      /type must be one of f32, f16, q8_0, got "q4"/,
    );
    const mlpBias = createModel(
      parseModelConfig({
        model_type: 'llama',
        vocab_size: 40,
        hidden_size: 32,
        intermediate_size: 64,
        num_hidden_layers: 1,
        num_attention_heads: 2,
        mlp_bias: true,
      }),
    );
    expect(() => toGguf(mlpBias, { tokenizer: padded(chars, 40) })).toThrow(/mlp_bias/);
  });
});
