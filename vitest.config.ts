import { defineConfig } from 'vitest/config'
import { CONFORMANCE } from './vitest.conformance.config.js'
import { LONG_RUNS } from './vitest.soak.config.js'

export default defineConfig({
  test: {
    // The container specs' global teardown checks that nothing was left and removes the foreign
    // container it started: vitest's default of 10 s would cut it short and skip the check.
    teardownTimeout: 120_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['specs/unit/**/*.spec.ts'],
          globalSetup: ['specs/support/scratch-directory.ts'],
        },
      },
      {
        test: {
          name: 'containers',
          include: ['specs/containers/**/*.spec.ts'],
          // The long runs are `npm run test:soak`'s (vitest.soak.config.ts), the differential suites
          // `npm run test:conformance`'s (vitest.conformance.config.ts).
          exclude: [...LONG_RUNS, ...CONFORMANCE],
          globalSetup: ['specs/support/scratch-directory.ts', 'specs/containers/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // Specs that start projects share the engine with the other files running at the same time.
          env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
        },
      },
    ],
  },
})
