// The suite of the three-service stack written with Testcontainers' DockerComposeEnvironment
// (Compose v2 as bench/suite.ts passes it in COMPOSE_V2): 20 tests, each with its own stack, up
// until every service is healthy, each making a request to the API.
import { randomBytes } from 'node:crypto'
import { test } from 'vitest'
import { apiPort, environmentUp, visit } from '../stack-test.js'
import { SUITE_TESTS } from './suite-size.js'

const REFERENCE = JSON.parse(process.env.COMPOSE_V2!) as string[]

for (let i = 1; i <= SUITE_TESTS; i++)
  test(`the API counts a visit (${i})`, async () => {
    const environment = await environmentUp(REFERENCE, `benchstacksuite${randomBytes(3).toString('hex')}`)
    try {
      await visit(apiPort(environment))
    } finally {
      await environment.down({ removeVolumes: true })
    }
  })
