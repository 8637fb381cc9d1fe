import { defineConfig } from 'vitest/config';

// One vitest run over every project (each has its own vitest.config.ts), so the README's test
// command yields one report and one `N passed, N failed` line.
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tools/vitest.config.ts'],
  },
});
