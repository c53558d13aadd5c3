import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers'
import { EngineUnreachableError } from './runtime-errors.js'

export type Engine = ContainerRuntimeClient

/**
 * The engine client. Ryuk is off unless the user turned it on: the reaper image cannot be pulled
 * on air-gapped machines, and projects brought up detached must outlive this process, so removing
 * what the harness starts is the harness's own job (`down()`).
 */
export async function connectEngine(): Promise<Engine> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  try {
    return await getContainerRuntimeClient()
  } catch (error) {
    throw new EngineUnreachableError(error)
  }
}
