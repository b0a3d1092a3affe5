/**
 * Peer decoders run in the same bench on the same prompts, each reporting
 * its speedup over its own plain decoding. The slot for node-llama-cpp's
 * input-lookup (prompt lookup) decoding on the same model exported to GGUF
 * is here; it is filled in once the GGUF export of the decode-speed work
 * exists (a peer needs the same weights). A peer implements `run` and is
 * added to `PEERS`; the bench prints its figures next to ours and puts them
 * in the JSON line under `peers`.
 */
import type { BenchPrompt } from './decoding.js';

/** What a peer reports for a prompt set. */
export interface PeerFigures {
  readonly name: string;
  /** Its plain decoding's tokens per second, and with its speculation. */
  readonly plainTokensPerSecond: number;
  readonly speculativeTokensPerSecond: number;
  /** speculative / plain. */
  readonly speedup: number;
  /** Whether its greedy output matched its own plain greedy output. */
  readonly identical: boolean;
}

/** A peer decoder. */
export interface Peer {
  readonly name: string;
  /**
   * Runs the peer on a prompt set (the model folder is the one the bench runs).
   * @returns its figures, or null with a reason printed when it cannot run here
   */
  run(
    modelDir: string,
    prompts: readonly BenchPrompt[],
    maxTokens: number,
  ): Promise<PeerFigures | null>;
}

/** The peers of this bench (node-llama-cpp's input lookup goes here, on the GGUF export). */
export const PEERS: readonly Peer[] = [];
