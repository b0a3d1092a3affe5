/**
 * `npx tsx --conditions=@x/source bench/profile.ts [N] [heads]`: where the
 * time of the js flash kernels goes. Runs causal flash attention forward and
 * backward (d = 64) under V8's sampling CPU profiler (node:inspector) and
 * prints self time by function: `micro` and `gemm` (the tile products, @x/tensor's gemm), the kernel
 * bodies (online softmax: max, exp, rescale; masking; copies), and the rest.
 */
import { Session } from 'node:inspector/promises';
import * as X from '@x/tensor';
import * as A from '../src/index.js';

const n = Number(process.argv[2] ?? 4096);
const heads = Number(process.argv[3] ?? 1);
const d = 64;
const generator = new X.Generator(1);
const make = () => X.randn([1, heads, n, d], { generator, requiresGrad: true });
const [q, k, v] = [make(), make(), make()] as [X.Tensor, X.Tensor, X.Tensor];
const run = (backward: boolean) => {
  const out = A.attention(q, k, v, {
    causal: true,
    implementation: 'flash',
    checkFinite: !backward,
  });
  if (backward) out.sum().backward();
};
run(false); // warm the JIT
run(true);
const repeats = 3;

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
for (const backward of [false, true]) {
  await session.post('Profiler.start');
  const t0 = performance.now();
  for (let i = 0; i < repeats; i++) run(backward);
  const ms = (performance.now() - t0) / repeats;
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const file = node.callFrame.url.split('/').pop() ?? '';
    const name = `${node.callFrame.functionName || '(anonymous)'} ${file ? `(${file})` : ''}`;
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(name, (self.get(name) ?? 0) + dt);
    total += dt;
  });
  console.log(
    `\ncausal flash ${backward ? 'forward + backward' : 'forward'}, N = ${n}, heads = ${heads}, d = ${d}: ${ms.toFixed(0)} ms wall per call (${repeats} calls profiled)`,
  );
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  for (const [name, us] of top)
    console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${name}`);
}
session.disconnect();
