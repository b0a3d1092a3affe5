/** The page: runs the checks on the main thread, then in a Web Worker, and publishes both. */
import { type CheckResult, runChecks } from './checks.js';

declare global {
  interface Window {
    /** Set when the checks are done: the main thread's and the worker's outcomes. */
    browserCheck?: { crossOriginIsolated: boolean; main: CheckResult[]; worker: CheckResult[] };
  }
}

const main = await runChecks();
const worker = await new Promise<CheckResult[]>((resolve) => {
  const w = new Worker('./worker.js', { type: 'module' });
  w.onmessage = (event) => resolve(event.data as CheckResult[]);
  w.onerror = (event) => resolve([{ name: 'worker', ok: false, detail: event.message }]);
});
window.browserCheck = { crossOriginIsolated, main, worker };
