/**
 * How the CLIs end on failure: one clear line on stderr and a non-zero
 * exit, never a stack trace, for the package's own errors, commander's
 * usage errors and file-system errors; anything else is a bug and keeps its
 * stack (set X_DEBUG=1 to see stacks always).
 */
import { LmError } from '../errors.js';

/**
 * Runs a CLI action, turning known errors into one line and exit code 1.
 * @param program - the CLI's name, for the message prefix
 * @param action - the command's work
 */
export async function runCommand(program: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    const known =
      LmError.isInstance(error) ||
      (typeof error === 'object' &&
        error !== null &&
        'code' in error &&
        typeof (error as { code: unknown }).code === 'string') ||
      (error instanceof Error &&
        error.name.endsWith('Error') &&
        Symbol.for('@x/tensor.error') in error);
    if (!known || process.env.X_DEBUG) throw error;
    process.stderr.write(`${program}: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

/** A usage error found by a command itself (a missing file, a bad option value). */
export class LmCliError extends LmError {
  /** @param message - what is wrong */
  constructor(message: string) {
    super('x-lm', message);
    this.name = 'LmCliError';
  }
}
