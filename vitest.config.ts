import { defineConfig } from 'vitest/config';

// Three projects: unit (pure, fast), int (PGlite always; PostgreSQL when TEST_DATABASE_URL is set),
// e2e (the built app in Chromium). `npm test` runs them all.
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'src/**/*.test.tsx'], exclude: ['src/**/*.int.test.ts'] } },
      { extends: true, test: { name: 'int', include: ['src/**/*.int.test.ts', 'test/**/*.int.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.e2e.ts'], testTimeout: 90_000, hookTimeout: 120_000, pool: 'forks', poolOptions: { forks: { singleFork: true } } },
      },
    ],
    env: { TZ: 'UTC' },
  },
});
