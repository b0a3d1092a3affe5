/** The js kernels pass the conformance check that `@x/attention/test` offers other backends. */
import { describe, expect, it } from 'vitest';
import { attentionKernels, jsKernels, registerAttentionKernels } from './kernels/registry.js';
import { checkAttentionKernels } from './test/conformance.js';

describe('kernel conformance', () => {
  it('js kernels match the float64 references', () => {
    const results = checkAttentionKernels(jsKernels);
    for (const result of results) expect(result, result.name).toMatchObject({ passed: true });
  });
  it('a broken kernel fails it', () => {
    const broken = { ...jsKernels, name: 'broken', flashForward: () => undefined };
    expect(checkAttentionKernels(broken).some((r) => !r.passed)).toBe(true);
  });
  it('registered kernels are used for their backend, js elsewhere', () => {
    const custom = { ...jsKernels, name: 'custom' };
    registerAttentionKernels('some-backend', custom);
    expect(attentionKernels('some-backend')).toBe(custom);
    expect(attentionKernels('js')).toBe(jsKernels);
  });
});
