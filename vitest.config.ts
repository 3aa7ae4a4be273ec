/** Unit and integration tests that need no server: core, shared, renderer logic, hosts' security. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'renderer/**/*.test.ts', 'shared/**/*.test.ts'],
    exclude: ['tests/sync/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
