// The suite of the three-service stack written with Testcontainers' DockerComposeEnvironment
// (Compose v2 as bench/suite.ts passes it in COMPOSE_V2): 20 tests, each with its own stack, up
// until every service is healthy, each making a request to the API.
import { randomBytes } from 'node:crypto'
import { dirname, resolve } from 'node:path'
import { test } from 'vitest'
import { DockerComposeEnvironment, Wait } from 'testcontainers'
import { composeV2ClientOptions } from '../compose-v2-client.js'
import { visit } from '../stack-visit.js'
import { SUITE_TESTS } from './suite-size.js'

const FILE = resolve('bench/stack/compose.yml')
const REFERENCE = JSON.parse(process.env.COMPOSE_V2!) as string[]

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the API counts a visit (${i})`, async () => {
    const environment = await new DockerComposeEnvironment(dirname(FILE), 'compose.yml')
      .withProjectName(`benchstacksuite${randomBytes(3).toString('hex')}`)
      .withClientOptions(composeV2ClientOptions(REFERENCE))
      .withWaitStrategy('db-1', Wait.forHealthCheck())
      .withWaitStrategy('cache-1', Wait.forHealthCheck())
      .withWaitStrategy('api-1', Wait.forHealthCheck())
      .up()
    try {
      await visit(environment.getContainer('api-1').getMappedPort(8080))
    } finally {
      await environment.down({ removeVolumes: true })
    }
  })
