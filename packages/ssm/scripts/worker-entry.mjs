// Worker entry for scripts/parallel-trainer.ts: registers tsx (TypeScript
// loading does not carry over to worker threads in Node 20), then loads the
// module named in workerData.entry, which runs its worker branch.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
