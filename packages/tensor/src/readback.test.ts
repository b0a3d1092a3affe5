/**
 * Asynchronous readback: `await t.data()` and `await t.array()` equal the
 * synchronous `toTypedArray()` / `toArray()` on every registered backend and
 * layout, use a backend's `downloadAsync` where it has one, and keep the
 * storage alive while the readback is pending.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend/backend.js';
import { listBackends, registerBackend } from './backend/registry.js';
import { createJsBackend } from './backends/js/index.js';
import { arange, tensor } from './ops/creation.js';

describe.each(listBackends())('data() and array() on %s', (backend) => {
  it('equal the synchronous readback, for views and half dtypes too', async () => {
    const x = arange(0, 24, 1, { backend }).reshape([2, 3, 4]);
    const view = x.transpose(0, 2).narrow(1, 1, 2);
    for (const t of [x, view, x.to('float16'), x.to('int32'), x.gt(5)]) {
      expect(Array.from(await t.data())).toEqual(Array.from(t.toTypedArray()));
      expect(await t.array()).toEqual(t.toArray());
    }
    expect(await tensor(3, { backend }).array()).toBe(3);
  });
});

describe('downloadAsync', () => {
  it('is used where a backend has it, and the storage outlives a dispose while pending', async () => {
    const js = createJsBackend({ name: 'js-async-readback' });
    let calls = 0;
    const asyncBackend: Backend = {
      ...js,
      downloadAsync: async (data, dtype, length) => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return js.download(data as never, dtype, length);
      },
    };
    registerBackend(asyncBackend);
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { backend: 'js-async-readback' },
    );
    const pending = t.data();
    t.dispose();
    expect(Array.from(await pending)).toEqual([1, 2, 3, 4]);
    expect(calls).toBe(1);
    expect(asyncBackend.memory().storages).toBe(0);
    await expect(t.data()).rejects.toThrow(/disposed/);
  });
});
