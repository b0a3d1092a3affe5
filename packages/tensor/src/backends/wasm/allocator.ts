/**
 * The allocator of the wasm backend's linear memory. Blocks are 64-byte
 * aligned and rounded up to a size class (eight classes per power of two, so
 * at most 12.5% is wasted); freed blocks go to a free list per class and are
 * reused first, new ones come from a bump pointer that grows the memory as
 * needed. Memory is never returned to the host (WebAssembly memories cannot
 * shrink), but every freed block is reused by later allocations of its class.
 * Address 0 is never handed out: kernels use it as the null pointer. The
 * top 64 bytes of memory are kept free so vector loads just past a block stay
 * in bounds.
 */
import { BackendError } from '../../errors.js';

const PAGE = 65536;
const ALIGN = 64;
const SLACK = 64;

/**
 * The size class of a request: at least 64 bytes, rounded up to an eighth of
 * the power of two below it.
 * @param bytes - requested bytes (> 0)
 */
export function sizeClass(bytes: number): number {
  if (bytes <= ALIGN) return ALIGN;
  const power = 2 ** Math.floor(Math.log2(bytes));
  const step = Math.max(ALIGN, power / 8);
  return Math.ceil(bytes / step) * step;
}

/** A first-fit-by-class allocator over a WebAssembly memory. */
export class WasmAllocator {
  private top = ALIGN;
  private readonly freeLists = new Map<number, number[]>();

  /** @param memory - the memory to allocate from */
  constructor(private readonly memory: WebAssembly.Memory) {}

  /**
   * A block of at least `bytes` bytes.
   * @param bytes - requested size (> 0)
   * @returns the byte address and the block's class size
   * @throws BackendError when the memory cannot grow
   */
  alloc(bytes: number): { ptr: number; size: number } {
    const size = sizeClass(bytes);
    const list = this.freeLists.get(size);
    if (list && list.length > 0) return { ptr: list.pop()!, size };
    const ptr = this.top;
    const needed = ptr + size + SLACK;
    const current = this.memory.buffer.byteLength;
    if (needed > current) {
      const pages = Math.ceil((needed - current) / PAGE);
      try {
        // Grow by at least a quarter of the current size to amortize growth.
        this.memory.grow(Math.max(pages, Math.ceil(current / PAGE / 4)));
      } catch {
        try {
          this.memory.grow(pages);
        } catch (error) {
          throw new BackendError(
            'alloc',
            `wasm memory cannot grow to ${needed} bytes (${(error as Error).message})`,
            'wasm',
          );
        }
      }
    }
    this.top = ptr + size;
    return { ptr, size };
  }

  /**
   * Returns a block to its class' free list.
   * @param ptr - the address from `alloc`
   * @param size - the class size from `alloc`
   */
  free(ptr: number, size: number): void {
    let list = this.freeLists.get(size);
    if (!list) {
      list = [];
      this.freeLists.set(size, list);
    }
    list.push(ptr);
  }

  /** Bytes of memory below the bump pointer (in use or on free lists). */
  get reserved(): number {
    return this.top;
  }
}
