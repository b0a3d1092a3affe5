/**
 * Test helpers for GGUF files: write a `toGguf` result to a temporary file
 * and read it back with `@huggingface/gguf` (an independent parser), plus
 * the raw bytes of each tensor.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gguf } from '@huggingface/gguf';

/** A parsed file: typed metadata, tensor infos and each tensor's bytes. */
export interface ParsedGguf {
  path: string;
  metadata: Record<string, { value: unknown; type: number; subType?: number }>;
  tensors: Map<string, { ne: number[]; dtype: number; offset: number; bytes: Uint8Array }>;
  dataOffset: number;
  size: number;
}

/** Writes `parts` to a new temporary `.gguf` file. */
export function writeGgufFile(parts: readonly Uint8Array[], name = 'model.gguf'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'x-lm-gguf-')), name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

const BYTES_PER_BLOCK: Record<number, [number, number]> = { 0: [4, 1], 1: [2, 1], 8: [34, 32] };

/** Parses a GGUF file with `@huggingface/gguf` and slices out each tensor's data. */
export async function parseGgufFile(path: string): Promise<ParsedGguf> {
  const parsed = await gguf(path, { allowLocalFile: true, typedMetadata: true });
  const file = readFileSync(path);
  const dataOffset = Number(parsed.tensorDataOffset);
  const tensors = new Map<
    string,
    { ne: number[]; dtype: number; offset: number; bytes: Uint8Array }
  >();
  for (const info of parsed.tensorInfos) {
    const ne = info.shape.map(Number);
    const [bytes, block] = BYTES_PER_BLOCK[info.dtype as number]!;
    const size = (ne.reduce((a, b) => a * b, 1) / block) * bytes;
    const offset = Number(info.offset);
    tensors.set(info.name, {
      ne,
      dtype: info.dtype as number,
      offset,
      bytes: new Uint8Array(file.buffer, file.byteOffset + dataOffset + offset, size),
    });
  }
  return {
    path,
    metadata: parsed.typedMetadata as ParsedGguf['metadata'],
    tensors,
    dataOffset,
    size: file.length,
  };
}

/** F32 bytes as numbers. */
export function f32Values(bytes: Uint8Array): Float32Array {
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}
