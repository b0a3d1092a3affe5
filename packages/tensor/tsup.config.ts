import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/node/index.ts',
    'src/test/index.ts',
    'src/test/vitest.ts',
    'src/gpu/index.ts',
  ],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['vitest', 'gpu.js'],
});
