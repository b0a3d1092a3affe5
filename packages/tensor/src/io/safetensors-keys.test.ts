/**
 * Tensor names and metadata keys `__proto__`, `constructor` and `prototype`
 * are ordinary data in safetensors files (issue 19's probe): saved, loaded
 * as own properties, and nothing reaches Object.prototype.
 */
import { expect, it } from 'vitest';
import { tensor } from '../index.js';
import { loadSafetensors, readSafetensorsHeader, saveSafetensors } from './safetensors.js';

it('round-trips tensors and metadata named __proto__, constructor, prototype', () => {
  const tensors = Object.fromEntries([
    ['__proto__', tensor([1, 2])],
    ['constructor', tensor([3])],
    ['prototype', tensor([[4, 5]])],
  ]);
  const metadata = Object.fromEntries([
    ['__proto__', 'a'],
    ['constructor', 'b'],
  ]) as Record<string, string>;
  const bytes = saveSafetensors(tensors, metadata);
  const loaded = loadSafetensors(bytes);
  expect(Object.keys(loaded.tensors).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
  expect(Object.getPrototypeOf(loaded.tensors)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(loaded.tensors, '__proto__')!.value.toArray()).toEqual([
    1, 2,
  ]);
  const own = (name: string) => Object.getOwnPropertyDescriptor(loaded.tensors, name)!.value;
  expect(own('constructor').toArray()).toEqual([3]);
  expect(own('prototype').toArray()).toEqual([[4, 5]]);
  expect(Object.getOwnPropertyDescriptor(loaded.metadata!, '__proto__')!.value).toBe('a');
  expect([...readSafetensorsHeader(bytes).entries.keys()].sort()).toEqual([
    '__proto__',
    'constructor',
    'prototype',
  ]);
  // a dtype named like an Object.prototype member is rejected, not looked up on the prototype
  const header = '{"w":{"dtype":"constructor","shape":[1],"data_offsets":[0,4]}}';
  const forged = new Uint8Array(8 + header.length + 4);
  new DataView(forged.buffer).setBigUint64(0, BigInt(header.length), true);
  forged.set(new TextEncoder().encode(header), 8);
  expect(() => loadSafetensors(forged)).toThrow(/unknown dtype "constructor"/);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
});
