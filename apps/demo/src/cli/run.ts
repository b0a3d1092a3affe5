/** Runs the `x-demo` command line on this process's arguments (the bin's entry). */
import { CommanderError } from 'commander';
import { program } from './main.js';

try {
  await program().parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // commander printed the usage error (or the help / version) already
  process.exitCode = error.exitCode;
}
