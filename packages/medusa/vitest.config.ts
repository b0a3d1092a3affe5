import { xProject } from '../../vitest.shared';

export default xProject('medusa');
