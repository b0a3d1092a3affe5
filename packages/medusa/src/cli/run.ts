/** Runs the `x-medusa` command line on this process's arguments (the bin's entry). */
import { program } from './main.js';

await program().parseAsync(process.argv);
