/**
 * Memory scopes. CPU storage is garbage-collected, but device storage (gpu
 * textures, wasm heap) is not: `dispose()` frees one tensor's reference and
 * `tidy(fn)` frees every tensor created inside `fn` except the ones it returns
 * or `keep`s. Tensors returned from a tidy scope move to the enclosing scope.
 */
import type { MemoryInfo } from '../backend/backend.js';
import { findBackend, getBackend } from '../backend/registry.js';
import type { Tensor } from '../tensor.js';

const scopes: Set<Tensor>[] = [];

/** Registers a new tensor with the innermost tidy scope (internal). */
export function trackTensor(tensor: Tensor): void {
  if (scopes.length > 0) scopes[scopes.length - 1]!.add(tensor);
}

function collect(value: unknown, into: Set<Tensor>, depth = 0): void {
  if (depth > 4 || value === null || typeof value !== 'object') return;
  if (isTensor(value)) {
    into.add(value);
    return;
  }
  if (Array.isArray(value)) for (const item of value) collect(item, into, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collect(item, into, depth + 1);
  }
}

function isTensor(value: object): value is Tensor {
  return (value as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'Tensor';
}

/**
 * Runs `fn` and disposes every tensor it created, except those in its result
 * (a tensor, or arrays / plain objects of tensors) and those passed to `keep`.
 * Do not let a tidy scope end between a forward pass and its `backward()`:
 * the tape needs the intermediates; put the whole training step inside.
 * @param fn - the work to run
 * @returns what `fn` returns
 * @example
 * const y = tidy(() => x.mul(2).add(1)); // the x.mul(2) intermediate is freed
 */
export function tidy<T>(fn: () => T): T {
  return tidyCreated(fn).result;
}

/**
 * `tidy`, also reporting which tensors of the result were created inside
 * `fn` (not passed in from outside). Internal: autograd frees the
 * gradients it made itself as soon as they are consumed.
 * @param fn - the work to run
 * @returns the result and the result's tensors created in the scope
 */
export function tidyCreated<T>(fn: () => T): { result: T; created: Set<Tensor> } {
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T | undefined;
  const created = new Set<Tensor>();
  try {
    result = fn();
    return { result, created };
  } finally {
    scopes.pop();
    const kept = new Set<Tensor>();
    collect(result, kept);
    for (const tensor of scope) {
      if (kept.has(tensor)) {
        created.add(tensor);
        trackTensor(tensor);
      } else tensor.dispose();
    }
  }
}

/**
 * Exempts a tensor from disposal by the tidy scopes it was created in (for
 * state that outlives a step: parameters, gradients, optimizer moments).
 * @param tensor - the tensor to keep
 * @returns the same tensor
 */
export function keep<T extends Tensor>(tensor: T): T {
  for (const scope of scopes) scope.delete(tensor);
  return tensor;
}

/**
 * Disposes tensors (each a tensor, or arrays / objects of tensors).
 * @param values - what to dispose
 */
export function dispose(...values: unknown[]): void {
  const found = new Set<Tensor>();
  for (const value of values) collect(value, found);
  for (const tensor of found) tensor.dispose();
}

/**
 * Live storages, bytes and peak bytes of a backend (the current one by default).
 * @example memory().bytes // bytes held by live tensors
 */
export function memory(backend?: string): MemoryInfo {
  return (backend === undefined ? getBackend() : findBackend(backend)).memory();
}

/** Restarts a backend's peak-memory tracking from its current live bytes. */
export function resetPeakMemory(backend?: string): void {
  (backend === undefined ? getBackend() : findBackend(backend)).resetPeakMemory();
}
