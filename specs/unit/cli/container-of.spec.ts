import { describe, expect, it } from 'vitest'
import { pickContainer } from '../../../harness/cli/container-of.js'
import type { ExistingContainer } from '../../../harness/runtime/project/project-containers.js'

const container = (service: string, number: number, state: string, exitCode?: number): ExistingContainer =>
  ({
    id: `${service}${number}`,
    name: `p-${service}-${number}`,
    service,
    number,
    running: state === 'running',
    state,
    ...(exitCode !== undefined && { exitCode }),
  }) as ExistingContainer

// Listed as the engine lists them: newest first.
const listed = [
  container('web', 3, 'running'),
  container('web', 2, 'running'),
  container('web', 1, 'exited', 137),
  container('db', 1, 'created'),
]

describe('pickContainer: the container Compose v2 picks for exec, attach, port, commit, export and cp', () => {
  it('takes the lowest-numbered running container of the service, or the one --index names', () => {
    expect(pickContainer(listed, 'web', 0).name).toBe('p-web-2')
    expect(pickContainer(listed, 'web', 3).name).toBe('p-web-3')
  })

  it('takes a stopped container too for cp (all)', () => {
    expect(pickContainer(listed, 'web', 0, { all: true }).name).toBe('p-web-1')
    expect(pickContainer(listed, 'db', 1, { all: true }).name).toBe('p-db-1')
  })

  it('says, in v2’s words, that the service is not running, and why when it has a container', () => {
    expect(() => pickContainer(listed, 'nosuch', 0)).toThrow(/^service "nosuch" is not running$/)
    expect(() => pickContainer(listed, 'web', 4)).toThrow(/^service "web" is not running container #4$/)
    expect(() => pickContainer(listed, 'web', 1)).toThrow(
      /^service "web" is not running container #1 \(p-web-1 exited with code 137\); start it with `start web`$/,
    )
    expect(() => pickContainer(listed, 'db', 0)).toThrow(
      /^service "db" is not running \(p-db-1 is created\); start it with `start db`$/,
    )
    expect(() => pickContainer(listed, 'nosuch', 0, { all: true })).toThrow(/^no container found for service "nosuch"$/)
  })
})
