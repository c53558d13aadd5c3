import { defineConfig } from 'vitest/config'

/**
 * The engine matrix's specs (`npm run test:engines`, specs/engines/run-matrix.ts), run once per
 * engine with DOCKER_HOST naming it: the differential suites against Compose 2.40 on that same
 * engine, the settings that need a newer engine, BuildKit's builds, the example's lifecycle, and the
 * checks of an engine elsewhere.
 */
export default defineConfig({
  test: {
    name: 'engines',
    include: [
      'specs/containers/conformance/**/*.spec.ts',
      'specs/containers/engine-settings.spec.ts',
      'specs/containers/buildkit.spec.ts',
      'specs/containers/echo-lifecycle.spec.ts',
      'specs/containers/remote-engine.spec.ts',
    ],
    globalSetup: ['specs/support/scratch-directory.ts', 'specs/containers/support/global-setup.ts'],
    // An engine in a container, two of its specs' runs at once: slower than this machine's own.
    testTimeout: 180_000,
    // Two concurrent cases of a file at once (vitest's default is 5): the lifecycle scenarios, each
    // running both tools, had that engine (then on vfs) copying images for nine projects at once, past their timeout.
    maxConcurrency: 2,
    hookTimeout: 240_000,
    // The global teardown's leak check must not be cut short (vitest's default is 10 s).
    teardownTimeout: 240_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
})
