// The benchmark's test suites (bench/suite.ts runs them): not part of `npm test`.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['bench/suite/*.suite.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
})
