import { xProject } from '../../vitest.shared';

export default xProject('demo', { testTimeout: 120_000 });
