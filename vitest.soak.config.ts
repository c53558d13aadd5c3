import { defineConfig } from 'vitest/config'

/**
 * The long runs (`npm run test:soak`): 200 killed runs of the CLI against the reaper, runs killed at
 * each phase and the reaper's clean-up after them, the reaper against hostile clients, runs of one
 * project started at the same time, an engine restarted under the harness, a second engine started
 * in a container and used over TCP, a build for several platforms on containerd's image store (a
 * Docker 28.5 in a container), and the package installed from its tarball into a project of its
 * own. Out of `npm test` (vitest.config.ts excludes them) to keep it under 15 minutes on 2
 * cores; `.ci/run` and the hosted CI files run them after it.
 */
export const LONG_RUNS = [
  'specs/containers/reaper-soak.spec.ts',
  'specs/containers/kill-at-each-phase.spec.ts',
  'specs/containers/crash-cleanup.spec.ts',
  'specs/containers/reaper-hostile.spec.ts',
  'specs/containers/concurrent-runs.spec.ts',
  'specs/containers/engine-restart.spec.ts',
  'specs/containers/remote-engine.spec.ts',
  'specs/containers/containerd-store.spec.ts',
  'specs/containers/package.spec.ts',
]

export default defineConfig({
  test: {
    name: 'soak',
    include: LONG_RUNS,
    // One file at a time, whatever the cores: one restarts the engine, another kills 200 runs on it.
    fileParallelism: false,
    globalSetup: ['specs/support/scratch-directory.ts', 'specs/containers/support/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    teardownTimeout: 120_000,
    env: { TESTCONTAINERS_RYUK_DISABLED: 'true' },
  },
})
