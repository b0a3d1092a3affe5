// The README example: a Mamba block run over a sequence, then token by token
// (the RNN form); an S4D layer as FFT convolution and as recurrence.

import { Mamba, S4D } from '@x/ssm';
import { manualSeed, randn } from '@x/tensor';

manualSeed(0);
const mamba = new Mamba(64); // d_state 16, d_conv 4, expand 2, dt_rank 4
const x = randn([2, 32, 64]); // [batch, length, d_model]
const full = mamba.forward(x);

let state = mamba.initialState(2);
const steps = [];
for (let t = 0; t < 32; t++) {
  const out = mamba.step(x.select(1, t), state); // constant cost per token
  state = out.state;
  steps.push(out.y);
}
const stepwise = steps.at(-1)!;
const last = full.select(1, 31);
console.log('Mamba parameters:', mamba.parameterCount());
console.log(
  'step-by-step vs full forward, max |diff|:',
  last.sub(stepwise).abs().max().item().toExponential(1),
);

const s4d = new S4D(64, { stateSize: 64 });
const u = randn([2, 256, 64]);
const conv = s4d.forward(u, 'convolution');
const rec = s4d.forward(u, 'recurrent');
console.log(
  'S4D convolution vs recurrence, max |diff|:',
  conv.sub(rec).abs().max().item().toExponential(1),
);
