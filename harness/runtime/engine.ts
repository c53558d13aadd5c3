import Docker from 'dockerode'
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers'
import { EngineUnreachableError } from './runtime-errors.js'

export type Engine = ContainerRuntimeClient

const PING_TIMEOUT_MS = 3000

/**
 * The engine client. testcontainers' own reaper (Ryuk) stays off: its image cannot be pulled on
 * air-gapped machines; the harness runs its own reaper (reaper.ts) for the projects it starts.
 * An engine named by DOCKER_HOST must answer: testcontainers would quietly fall back to the
 * default socket, and the user would be testing against an engine they did not choose.
 */
export async function connectEngine(): Promise<Engine> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  const chosen = process.env.DOCKER_HOST
  if (chosen && !(await answers(new Docker()))) throw new EngineUnreachableError(`${chosen} (DOCKER_HOST)`)
  try {
    return await getContainerRuntimeClient()
  } catch (error) {
    throw new EngineUnreachableError('DOCKER_HOST, ~/.testcontainers.properties or /var/run/docker.sock', error)
  }
}

async function answers(docker: Docker): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, PING_TIMEOUT_MS, false)
  })
  try {
    return await Promise.race([docker.ping().then(() => true, () => false), timeout])
  } finally {
    clearTimeout(timer)
  }
}
