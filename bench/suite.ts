// A test suite as a team writes it, twice: 20 tests in one vitest file, each bringing up its own
// project of the echo pair and waiting for the client's first echo; once with the harness's vitest
// fixture (suite/harness.suite.ts), once with Testcontainers' DockerComposeEnvironment running
// Compose v2 (suite/environment.suite.ts); once more with the next tests' projects brought up
// ahead (suite/harness-ahead.suite.ts, `ahead: 2`); and once with the fixture's project shared by
// the file's tests (suite/harness-file.suite.ts). Wall time of the whole `vitest run`, vitest's own
// start included, on the default workers; they take turns.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { summarize, type Summary } from './stats.js'
import { timedRun } from './timed-run.js'
import { SUITE_TESTS } from './suite/suite-size.js'

const RUNS = 3
// vitest's own command (its package's bin), run by this Node.
const VITEST = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')

export interface SuiteFigures {
  readonly tests: number
  readonly harness: Summary
  /** The harness's fixture, the next tests' projects brought up ahead (`ahead: 2`). */
  readonly harnessAhead: Summary
  /** The harness's fixture with one project for the file (`scope: 'file'`). */
  readonly harnessFile: Summary
  readonly environment: Summary
}

/** Wall time of one `vitest run` of a suite file, the tests' Compose v2 in COMPOSE_V2. */
export function runSuite(file: string, reference: readonly string[]): number {
  return timedRun(process.execPath, [VITEST, 'run', '--config', 'bench/suite/vitest.config.ts', file], {
    ...process.env,
    COMPOSE_V2: JSON.stringify(reference),
    CI: 'true',
  })
}

export function benchSuite(reference: readonly string[]): SuiteFigures {
  const times = {
    harness: [] as number[],
    harnessAhead: [] as number[],
    harnessFile: [] as number[],
    environment: [] as number[],
  }
  for (let i = 0; i < RUNS; i++) {
    times.harness.push(runSuite('bench/suite/harness.suite.ts', reference))
    times.harnessAhead.push(runSuite('bench/suite/harness-ahead.suite.ts', reference))
    times.harnessFile.push(runSuite('bench/suite/harness-file.suite.ts', reference))
    times.environment.push(runSuite('bench/suite/environment.suite.ts', reference))
  }
  return {
    tests: SUITE_TESTS,
    harness: summarize(times.harness),
    harnessAhead: summarize(times.harnessAhead),
    harnessFile: summarize(times.harnessFile),
    environment: summarize(times.environment),
  }
}
