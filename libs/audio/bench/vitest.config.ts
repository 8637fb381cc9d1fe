import { defineConfig } from 'vitest/config';
import { projectConfig } from '../../../vitest.shared.js';

// Benchmarks run apart from the tests: `npx vitest run --config bench/vitest.config.ts` (from libs/audio).
const base = projectConfig('audio-bench');
export default defineConfig({ ...base, test: { ...base.test, include: ['bench/**/*.bench.ts'] } });
