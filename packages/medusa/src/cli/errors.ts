/**
 * How the CLI ends on failure: one clear line on stderr and exit code 1,
 * never a stack trace, for this package's and @x/lm's errors, commander's
 * usage errors and file-system errors; anything else is a bug and keeps its
 * stack (set X_DEBUG=1 to see stacks always).
 */
import { LmError } from '@x/lm';
import { MedusaError } from '../errors.js';

/**
 * Runs a CLI action, turning known errors into one line and exit code 1.
 * @param action - the command's work
 * @param stderr - where the line goes
 */
export async function runCommand(
  action: () => Promise<void>,
  stderr: { write: (text: string) => unknown } = process.stderr,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    const known =
      MedusaError.isInstance(error) ||
      LmError.isInstance(error) ||
      (typeof error === 'object' &&
        error !== null &&
        'code' in error &&
        typeof (error as { code: unknown }).code === 'string') ||
      (error instanceof Error && Symbol.for('@x/tensor.error') in error);
    if (!known || process.env.X_DEBUG) throw error;
    const message = (error as Error).message;
    stderr.write(`${message.startsWith('x-medusa: ') ? message : `x-medusa: ${message}`}\n`);
    process.exitCode = 1;
  }
}

/** A usage error found by a command itself (a missing file, a bad option value). */
export class MedusaCliError extends MedusaError {
  /** @param message - what is wrong */
  constructor(message: string) {
    super('x-medusa', message);
    this.name = 'MedusaCliError';
  }
}
