import { defineConfig } from 'vitest/config'

/**
 * The long runs (`npm run test:soak`): 200 killed runs of the CLI against the reaper, and an engine
 * restarted under the harness. Out of `npm test` to keep it under 15 minutes on 2 cores; `.ci/run`
 * and the hosted CI files run them after it.
 */
export default defineConfig({
  test: {
    name: 'soak',
    include: ['specs/containers/reaper-soak.spec.ts', 'specs/containers/engine-restart.spec.ts'],
    globalSetup: ['specs/containers/support/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 120_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
})
