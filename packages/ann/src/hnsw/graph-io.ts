/**
 * Writing and reading an `HnswGraph` in the saved-index body, with the
 * structural checks that make a loaded graph safe to walk: every link and the
 * entry point name an existing slot, counts fit their rows, and upper-level
 * rows lie inside the pool.
 */
import type { DistanceKernel } from '../distance.js';
import type { DistanceKernel4 } from '../distance-four.js';
import { CorruptIndexError } from '../errors.js';
import type { ByteReader, ByteWriter } from '../io/binary.js';
import type { VectorStore } from '../vector-store.js';
import { HnswGraph } from './graph.js';

/** Writes the graph (its vectors are written with the store). */
export function writeGraph(graph: HnswGraph, writer: ByteWriter): void {
  const count = graph.store.count;
  writer.u32(graph.M);
  writer.u8(graph.heuristic ? 1 : 0);
  writer.i32(graph.entryPoint);
  writer.i32(graph.maxLevel);
  writer.u8Array(graph.levels.subarray(0, count));
  writer.i32Array(graph.level0.subarray(0, count * graph.stride0));
  writer.i32Array(graph.upperStart.subarray(0, count));
  writer.u32(graph.upperUsed);
  writer.i32Array(graph.upperPool.subarray(0, graph.upperUsed));
}

/**
 * Reads a graph written by `writeGraph` over `store`.
 * @throws CorruptIndexError when a link, count or offset is out of range
 */
export function readGraph(
  reader: ByteReader,
  op: string,
  store: VectorStore,
  kernel: DistanceKernel,
  kernel4: DistanceKernel4,
): HnswGraph {
  const connectivity = reader.u32();
  const heuristic = reader.u8() === 1;
  const corrupt = (message: string) => new CorruptIndexError(op, 'structure', message);
  if (connectivity < 2 || connectivity > 2048)
    throw corrupt(`connectivity ${connectivity} is out of range`);
  const graph = new HnswGraph({ connectivity, heuristic }, store, kernel, kernel4);
  const count = store.count;
  graph.reserve(Math.max(count, 1));
  graph.entryPoint = reader.i32();
  graph.maxLevel = reader.i32();
  graph.levels.set(reader.u8Array(count));
  graph.level0.set(reader.i32Array(count * graph.stride0));
  graph.upperStart.set(reader.i32Array(count));
  graph.upperUsed = reader.u32();
  graph.upperPool = reader.i32Array(graph.upperUsed);
  if (graph.upperPool.length === 0) graph.upperPool = new Int32Array(graph.strideUpper);
  const checkRow = (
    links: Int32Array,
    offset: number,
    max: number,
    slot: number,
    level: number,
  ) => {
    const n = links[offset]!;
    if (n < 0 || n > max) throw corrupt(`slot ${slot} level ${level} has ${n} links (max ${max})`);
    for (let j = 1; j <= n; j++) {
      const target = links[offset + j]!;
      if (target < 0 || target >= count || graph.levels[target]! < level)
        throw corrupt(`slot ${slot} level ${level} links to invalid slot ${target}`);
    }
  };
  for (let slot = 0; slot < count; slot++) {
    const level = graph.levels[slot]!;
    checkRow(graph.level0, slot * graph.stride0, graph.M0, slot, 0);
    const start = graph.upperStart[slot]!;
    if (level === 0) {
      if (start !== -1)
        throw corrupt(`slot ${slot} has no upper levels but an upper row at ${start}`);
      continue;
    }
    if (start < 0 || start + level * graph.strideUpper > graph.upperUsed)
      throw corrupt(
        `slot ${slot} upper rows at ${start} lie outside the pool (${graph.upperUsed})`,
      );
    for (let l = 1; l <= level; l++)
      checkRow(graph.upperPool, start + (l - 1) * graph.strideUpper, graph.M, slot, l);
  }
  if (count === 0 || graph.entryPoint === -1) {
    if (graph.entryPoint !== -1 || graph.maxLevel !== -1)
      throw corrupt('entry point without vertices');
  } else if (
    graph.entryPoint < 0 ||
    graph.entryPoint >= count ||
    graph.levels[graph.entryPoint] !== graph.maxLevel
  ) {
    throw corrupt(`entry point ${graph.entryPoint} (max level ${graph.maxLevel}) is invalid`);
  }
  return graph;
}
