import { describe, expect, it } from 'vitest'
import type { ContainerInspectInfo } from 'dockerode'
import { startFailureOf, STARTUP_GRACE_MS } from '../../../harness/runtime/container/readiness.js'

const STARTED = '2026-12-04T10:00:00.000000000Z'
const NEVER = '0001-01-01T00:00:00Z'

/** A container's state as the engine's inspect gives it: started at STARTED, finished `ranMs` later (never, when undefined). */
function state(status: string, exitCode: number, ranMs?: number): ContainerInspectInfo['State'] {
  const finished = ranMs === undefined ? NEVER : new Date(Date.parse(STARTED) + ranMs).toISOString()
  return {
    Status: status,
    Running: status === 'running',
    Paused: false,
    Restarting: status === 'restarting',
    OOMKilled: false,
    Dead: status === 'dead',
    Pid: 0,
    ExitCode: exitCode,
    Error: '',
    StartedAt: STARTED,
    FinishedAt: finished,
  }
}

describe('a failure at start, read from a container state', () => {
  it('is an exit otherwise than 0 within the startup grace', () => {
    expect(startFailureOf(state('exited', 2, 5))).toBe('it exited at once')
    expect(startFailureOf(state('dead', 137, STARTUP_GRACE_MS - 1))).toBe('it exited at once')
  })

  it('is not an exit 0 (a one-shot), nor an exit after the grace', () => {
    expect(startFailureOf(state('exited', 0, 5))).toBeUndefined()
    expect(startFailureOf(state('exited', 1, STARTUP_GRACE_MS))).toBeUndefined()
  })

  it('is a container being restarted, whatever it exited with', () => {
    expect(startFailureOf(state('restarting', 1, 40))).toBe('it exited at once and keeps being restarted')
    expect(startFailureOf(state('restarting', 0, 40))).toBe('it exited at once and keeps being restarted')
  })

  it('is not a container that runs, never having finished', () => {
    expect(startFailureOf(state('running', 0))).toBeUndefined()
    expect(startFailureOf(state('paused', 0))).toBeUndefined()
  })
})
