import { describe, expect, it } from 'vitest'
import { secretValues, ServiceStartError, withoutSecrets } from '../../../harness/runtime/runtime-errors.js'

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
