/** The Web Worker: the same checks off the main thread (synchronous compilation allowed). */
import { runChecks } from './checks.js';

postMessage(await runChecks());
