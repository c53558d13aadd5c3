// One test of the three-service stack (bench/stack/), as bench/stack.ts and the stack's suites
// (suite/stack*.suite.ts) run it: the stack up through DockerComposeEnvironment, and the test's work.
import { dirname, resolve } from 'node:path'
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers'
import { composeV2ClientOptions } from './compose-v2-client.js'

export const STACK_FILE = resolve('bench/stack/compose.yml')

/** One test's work: a request to the API through its published port, which stores and counts a visit. */
export async function visit(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/visits`)
  if (!response.ok) throw new Error(`the stack's API answered ${response.status}: ${await response.text()}`)
}

/** The stack up through DockerComposeEnvironment (Compose v2 as `reference` runs it), every service healthy. */
export function environmentUp(reference: readonly string[], project: string): Promise<StartedDockerComposeEnvironment> {
  return new DockerComposeEnvironment(dirname(STACK_FILE), 'compose.yml')
    .withProjectName(project)
    .withClientOptions(composeV2ClientOptions(reference))
    .withWaitStrategy('db-1', Wait.forHealthCheck())
    .withWaitStrategy('cache-1', Wait.forHealthCheck())
    .withWaitStrategy('api-1', Wait.forHealthCheck())
    .up()
}

/** Where the API answers on this machine, under DockerComposeEnvironment. */
export function apiPort(environment: StartedDockerComposeEnvironment): number {
  return environment.getContainer('api-1').getMappedPort(8080)
}
