/**
 * How the CLI ends on failure: one clear line on stderr and exit code 1, never a stack
 * trace, for the demo's errors, the packages' errors, commander's usage errors and
 * file-system errors; anything else is a bug and keeps its stack (X_DEBUG=1 shows stacks always).
 */
import { InvertedIndexError } from '@x/inverted-index';
import { LmError } from '@x/lm';
import { MedusaError } from '@x/medusa';
import { DemoError } from '../errors.js';

/**
 * Whether an error is one the CLI reports as one line.
 * @param error - what was thrown
 * @returns true for named, expected errors
 */
export function isKnownError(error: unknown): boolean {
  return (
    error instanceof DemoError ||
    LmError.isInstance(error) ||
    MedusaError.isInstance(error) ||
    InvertedIndexError.isInstance(error) ||
    (error instanceof Error && Symbol.for('@x/tensor.error') in error) ||
    (typeof error === 'object' &&
      error !== null &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}

/**
 * Runs a command's action, turning known errors into one line and exit code 1.
 * @param action - the command's work
 * @param stderr - where the line goes
 */
export async function runAction(
  action: () => Promise<void>,
  stderr: { write: (text: string) => unknown } = process.stderr,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    if (!isKnownError(error) || process.env.X_DEBUG) throw error;
    stderr.write(`x-demo: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
