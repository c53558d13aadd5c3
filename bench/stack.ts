// The three-service stack (bench/stack/: PostgreSQL, Redis and an API over both, each with a
// healthcheck) through the harness's API and through Testcontainers' DockerComposeEnvironment
// (Compose v2), as a team's test suite would use them: up until every service is healthy and the
// API answers, then down; a vitest file of 20 tests each with a stack of their own (suite/stack*.suite.ts),
// without and with the next tests' stacks brought up ahead (`ahead: 2`), and the same 20 tests
// sharing one stack (the fixture's `scope: 'file'`); and a rerun with reuse.
import type { StartedDockerComposeEnvironment } from 'testcontainers'
import { Compose, type StartedCompose } from '../harness/index.js'
import { timed } from './echo.js'
import { rerunWithReuse } from './reuse.js'
import { summarize, type Summary } from './stats.js'
import { runSuite } from './suite.js'
import { apiPort, environmentUp, STACK_FILE, visit } from './stack-test.js'

const RUNS = 3

export interface StackFigures {
  readonly harness: {
    readonly up: Summary
    readonly down: Summary
    readonly perTest: Summary
    /** The same, the next tests' stacks brought up ahead (`ahead: 2`). */
    readonly perTestAhead: Summary
    readonly perFile: Summary
  }
  readonly environment: { readonly up: Summary; readonly down: Summary; readonly perTest: Summary }
  readonly reuse: Summary
}

const harness = () => Compose.fromFiles(STACK_FILE).withProjectName('bench-stack')

async function harnessUp(): Promise<StartedCompose<'api'>> {
  return harness().up<'api'>()
}

/** Both APIs, taking turns; the images are built first, and the first round of each is not counted. */
export async function benchStack(reference: readonly string[]): Promise<StackFigures> {
  await harness().build('missing')
  const times = { up: [] as number[], down: [] as number[], envUp: [] as number[], envDown: [] as number[] }
  for (let i = 0; i <= RUNS; i++) {
    let project: StartedCompose<'api'> | undefined
    const up = await timed(async () => {
      project = await harnessUp()
      await visit(await project.service('api').mappedPort(8080))
    })
    const down = await timed(() => project![Symbol.asyncDispose]())
    let environment: StartedDockerComposeEnvironment | undefined
    const envUp = await timed(async () => {
      environment = await environmentUp(reference, 'benchstackenv')
      await visit(apiPort(environment))
    })
    const envDown = await timed(() => environment!.down({ removeVolumes: true }))
    if (i === 0) continue
    times.up.push(up)
    times.down.push(down)
    times.envUp.push(envUp)
    times.envDown.push(envDown)
  }
  // The suites, each one `vitest run` of its file, as a team runs its tests (the fixture overlaps a test's removal with the next test).
  const perTest = runSuite('bench/suite/stack.suite.ts', reference)
  const perTestAhead = runSuite('bench/suite/stack-ahead.suite.ts', reference)
  const perFile = runSuite('bench/suite/stack-file.suite.ts', reference)
  const envPerTest = runSuite('bench/suite/stack-environment.suite.ts', reference)
  return {
    harness: {
      up: summarize(times.up),
      down: summarize(times.down),
      perTest: summarize([perTest]),
      perTestAhead: summarize([perTestAhead]),
      perFile: summarize([perFile]),
    },
    environment: { up: summarize(times.envUp), down: summarize(times.envDown), perTest: summarize([envPerTest]) },
    reuse: await rerunWithReuse(STACK_FILE, 'bench-stack-reuse'),
  }
}
