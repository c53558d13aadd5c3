// The same suite written with Testcontainers' DockerComposeEnvironment (Compose v2 as bench/suite.ts
// passes it in COMPOSE_V2, its command as JSON): 20 tests, each with its own project of the echo pair, each waiting for the
// client's first echo.
import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { DockerComposeEnvironment, Wait } from 'testcontainers'
import { expect, test } from 'vitest'
import { composeV2ClientOptions } from '../compose-v2-client.js'
import { SUITE_TESTS } from './suite-size.js'

const FILE = resolve('fixtures/echo/docker-compose.yml')
const REFERENCE = JSON.parse(process.env.COMPOSE_V2!) as string[]

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the client's echo comes back (${i})`, async () => {
    const environment = await new DockerComposeEnvironment(dirname(FILE), 'docker-compose.yml')
      .withProjectName(`benchsuite${randomBytes(3).toString('hex')}`)
      .withClientOptions(composeV2ClientOptions(REFERENCE))
      .withWaitStrategy('client-1', Wait.forLogMessage(/^Received: Hello, world$/m))
      .up()
    try {
      const logs = await environment.getContainer('client-1').logs()
      const lines: string[] = []
      for await (const chunk of logs) {
        lines.push(...String(chunk).split('\n'))
        if (lines.includes('Received: Hello, world')) break
      }
      expect(lines).toContain('Received: Hello, world')
    } finally {
      await environment.down()
    }
  })
