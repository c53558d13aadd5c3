// The harness's API against Testcontainers' own DockerComposeEnvironment (which runs Compose v2),
// on the same echo files, as a test suite would use either: up to the client's first echo, then down.
import { dirname, resolve } from 'node:path'
import { DockerComposeEnvironment } from 'testcontainers'
import { Compose } from '../harness/index.js'
import { connectEngine } from '../harness/runtime/engine/engine.js'
import { composeV2ClientOptions } from './compose-v2-client.js'
import { firstEcho, timed } from './echo.js'
import { summarize, type Summary } from './stats.js'

const ECHO = resolve('fixtures/echo/docker-compose.yml')
const RUNS = 5

export interface ApiFigures {
  readonly harness: { readonly up: Summary; readonly down: Summary }
  readonly environment: { readonly up: Summary; readonly down: Summary }
}

/** Both APIs, taking turns; the first round of each warms its code paths and is not counted. */
export async function benchComposeEnvironment(reference: readonly string[]): Promise<ApiFigures> {
  const docker = (await connectEngine()).container.dockerode
  const times = {
    harness: { up: [] as number[], down: [] as number[] },
    environment: { up: [] as number[], down: [] as number[] },
  }
  for (let i = 0; i <= RUNS; i++) {
    const counted = i > 0
    let project: Awaited<ReturnType<Compose['up']>> | undefined
    const up = await timed(async () => {
      project = await Compose.fromFiles(ECHO).withProjectName('bench-api').up()
      await firstEcho(docker, 'bench-api-client-1')
    })
    const down = await timed(() => project!.down())
    let environment: Awaited<ReturnType<DockerComposeEnvironment['up']>> | undefined
    const envUp = await timed(async () => {
      environment = await new DockerComposeEnvironment(dirname(ECHO), 'docker-compose.yml')
        .withProjectName('benchenv')
        .withClientOptions(composeV2ClientOptions(reference))
        .up()
      await firstEcho(docker, 'benchenv-client-1')
    })
    const envDown = await timed(() => environment!.down())
    if (!counted) continue
    times.harness.up.push(up)
    times.harness.down.push(down)
    times.environment.up.push(envUp)
    times.environment.down.push(envDown)
  }
  return {
    harness: { up: summarize(times.harness.up), down: summarize(times.harness.down) },
    environment: { up: summarize(times.environment.up), down: summarize(times.environment.down) },
  }
}
