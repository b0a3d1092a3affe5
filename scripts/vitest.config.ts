import { xProject } from '../vitest.shared';

/** The repository scripts' own tests (README examples, release tooling). */
export default xProject('scripts', { include: ['**/*.test.ts'], testTimeout: 300_000 });
