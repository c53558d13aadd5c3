import { describe, expect, it } from 'vitest'
import {
  connectionLost,
  EngineGoneError,
  secretValues,
  ServiceStartError,
  throwAll,
  throwFailures,
  withoutSecrets,
} from '../../../harness/runtime/engine/runtime-errors.js'

describe('ServiceStartError', () => {
  it('says which service failed, at which phase, with the exit code, the signal and the last log lines', () => {
    const error = new ServiceStartError(
      { service: 'db', phase: 'start', exitCode: 137, logTail: ['a', 'b'] },
      'it exited at once',
    )
    expect(error.message).toBe(
      'service "db" failed at start (exit code 137: killed by SIGKILL): it exited at once\nlast log lines of db:\n  a\n  b',
    )
    expect(new ServiceStartError({ service: 'db', phase: 'start', exitCode: 137, oomKilled: true }, 'x').message).toBe(
      'service "db" failed at start (exit code 137: killed by SIGKILL, out of memory (OOM killed)): x',
    )
  })

  it('masks the values of secret-looking variables, in the detail and the log lines, and keeps the cause', () => {
    const secrets = secretValues([{ API_TOKEN: 'tok-1', DB_PASSWORD: 'pw-2', PLAIN: 'visible', EMPTY_KEY: '' }])
    expect(secrets).toEqual(['tok-1', 'pw-2'])
    const cause = new Error('root')
    const error = new ServiceStartError(
      { service: 'api', phase: 'start', logTail: ['token tok-1', 'visible'] },
      'rejected pw-2',
      { cause },
    )
    const masked = withoutSecrets(new AggregateError([error], 'x'), secrets) as AggregateError
    expect((masked.errors[0] as Error).message).toBe(
      'service "api" failed at start: rejected ******\nlast log lines of api:\n  token ******\n  visible',
    )
    expect((masked.errors[0] as Error).cause).toBe(cause)
  })
})

describe('connectionLost', () => {
  const withCode = (message: string, code: string, syscall?: string): Error =>
    Object.assign(new Error(message), { code, ...(syscall && { syscall }) })

  it('knows a connection to the engine that was refused, reset or ended under a request', () => {
    expect(connectionLost(withCode('connect ECONNREFUSED 10.0.0.2:2375', 'ECONNREFUSED'))).toBe(true)
    expect(connectionLost(withCode('read ECONNRESET', 'ECONNRESET'))).toBe(true)
    expect(connectionLost(withCode('connect ENOENT /var/run/docker.sock', 'ENOENT', 'connect'))).toBe(true)
    expect(connectionLost(new Error('This socket has been ended by the other party'))).toBe(true)
    expect(connectionLost(new Error('socket hang up'))).toBe(true)
  })

  it("does not take the engine's own answers, a missing file or the harness's errors for one", () => {
    expect(connectionLost(new Error('(HTTP code 404) no such container'))).toBe(false)
    expect(connectionLost(withCode("open 'compose.yml'", 'ENOENT', 'open'))).toBe(false)
    expect(connectionLost(new EngineGoneError('socket hang up'))).toBe(false)
    expect(connectionLost('ECONNREFUSED')).toBe(false)
  })

  it('says, as EngineGoneError, that the engine went away and what becomes of the run', () => {
    expect(new EngineGoneError('socket hang up at tcp://10.0.0.2:2375').message).toBe(
      'the Docker engine went away during this run (socket hang up at tcp://10.0.0.2:2375). What this run started is removed by its reaper once the engine is back.',
    )
  })
})

describe('failures of work done side by side, thrown as one', () => {
  const one = new Error('one')
  const two = new Error('two')

  it('throwAll: nothing for none, the failure itself for one, an AggregateError of several under its summary', () => {
    expect(() => throwAll([], (n) => `${n} failed`)).not.toThrow()
    expect(() => throwAll([one], (n) => `${n} failed`)).toThrow(one)
    let thrown: unknown
    try {
      throwAll([one, two], (n) => `${n} failed`)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(AggregateError)
    expect((thrown as AggregateError).message).toBe('2 failed')
    expect((thrown as AggregateError).errors).toEqual([one, two])
  })

  it('throwFailures: a summary makes even one failure an AggregateError; without, several are listed', () => {
    expect(() => throwFailures([])).not.toThrow()
    expect(() => throwFailures([one])).toThrow(one)
    expect(() => throwFailures([one], 'stop failed')).toThrow(AggregateError)
    expect(() => throwFailures([one, two])).toThrow('one\ntwo')
  })
})
