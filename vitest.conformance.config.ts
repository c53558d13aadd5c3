import { defineConfig } from 'vitest/config'

/**
 * The differential suites against Compose v2 (`npm run test:conformance`): each runs the same
 * projects and commands with both tools on this machine's engine and compares what they did. Out of
 * `npm test` (vitest.config.ts excludes them) to keep it under 15 minutes on 2 cores; `.ci/run` and
 * the hosted CI files run them after it, and the engine matrix runs them again on each engine.
 */
export const CONFORMANCE = ['specs/containers/conformance/**/*.spec.ts']

export default defineConfig({
  test: {
    name: 'conformance',
    include: CONFORMANCE,
    globalSetup: ['specs/support/scratch-directory.ts', 'specs/containers/support/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // The global teardown's leak check must not be cut short (vitest's default is 10 s).
    teardownTimeout: 120_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
})
