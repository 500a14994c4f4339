import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites mutation testing runs (npm run test:mutation): the capabilities' own tests under
 * test/shared, which exercise shared/ directly. The end-to-end suites (local system, bundles,
 * browser) prove other things and would multiply the run's time without killing more mutants.
 * (Not mergeConfig: it would concatenate `include` with the base's.)
 */
export default defineConfig({ ...base, test: { ...base.test, include: ['test/shared/**/*.test.ts'] } });
