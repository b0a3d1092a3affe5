import { describe, expect, it } from 'vitest';
import { OptionError } from '../errors.js';
import { type JiebaModule, loadJiebaSegmenter } from './jieba-segmenter.js';

describe('loadJiebaSegmenter', () => {
  it('takes the module from the caller (as a browser bundle passes it)', async () => {
    const segmenter = await loadJiebaSegmenter({
      module: import('jieba-wasm') as Promise<JiebaModule>,
    });
    expect(segmenter.segment('我来到北京清华大学')).toEqual(['我', '来到', '北京', '清华大学']);
  });

  it("runs a web build's init before its first cut", async () => {
    const calls: string[] = [];
    const web: JiebaModule = {
      default: async () => {
        calls.push('init');
      },
      cut: (text) => {
        calls.push('cut');
        return [...text];
      },
    };
    const segmenter = await loadJiebaSegmenter({ module: web });
    expect(segmenter.segment('北京')).toEqual(['北', '京']);
    expect(calls).toEqual(['init', 'cut']);
  });

  it('names the problem when the module is not jieba-wasm or cannot load', async () => {
    await expect(loadJiebaSegmenter({ module: {} as JiebaModule })).rejects.toThrow(OptionError);
    await expect(
      loadJiebaSegmenter({ module: Promise.reject(new Error('offline')) }),
    ).rejects.toThrow(/cannot import jieba-wasm \(Error: offline\)/);
  });
});
