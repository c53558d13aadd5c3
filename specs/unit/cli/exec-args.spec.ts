import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../harness/cli/usage-error.js'
import { parseExecArgs } from '../../../harness/cli/commands/exec.js'

describe('parseExecArgs', () => {
  it('takes the command after SERVICE untouched, flags and --help included', () => {
    expect(parseExecArgs(['db', 'psql', '-U', 'app', '--help'])).toEqual({
      service: 'db',
      command: ['psql', '-U', 'app', '--help'],
      index: 0,
      env: {},
      privileged: false,
      detach: false,
    })
  })

  it("reads docker compose exec's options in their long, short, joined and grouped forms", () => {
    expect(
      parseExecArgs([
        '-T',
        '-e',
        'A=1',
        '--env=B=2=two',
        '-eC=',
        '-u',
        '1000',
        '--workdir',
        '/tmp',
        '--index=2',
        '-dT',
        '--privileged',
        'web',
        'env',
      ]),
    ).toEqual({
      service: 'web',
      command: ['env'],
      index: 2,
      env: { A: '1', B: '2=two', C: '' },
      user: '1000',
      workingDir: '/tmp',
      privileged: true,
      detach: true,
    })
  })

  it('takes the value of -e KEY from this environment, and leaves out a KEY that is not set', () => {
    const lookup = (name: string) => ({ TOKEN: 's3cret' })[name]
    expect(parseExecArgs(['-e', 'TOKEN', '-e', 'UNSET', 'web', 'env'], lookup).env).toEqual({ TOKEN: 's3cret' })
  })

  it('refuses an unknown flag, a flag without its value, a bad index and a missing command', () => {
    expect(() => parseExecArgs(['-t', 'web', 'sh'])).toThrow(new UsageError('exec: unknown flag -t'))
    expect(() => parseExecArgs(['-e'])).toThrow(new UsageError('exec: -e needs a value'))
    expect(() => parseExecArgs(['-e', '=x', 'web', 'env'])).toThrow(
      new UsageError('exec: -e takes KEY=VALUE or KEY, got =x'),
    )
    expect(() => parseExecArgs(['--index', 'one', 'web', 'sh'])).toThrow(
      new UsageError('exec: --index takes a container number, got one'),
    )
    // 0, v2's default, is any container of the service (its lowest running one), and so is less.
    expect(parseExecArgs(['--index', '-1', 'web', 'sh']).index).toBe(0)
    expect(() => parseExecArgs(['-T', 'web'])).toThrow(
      new UsageError('exec: give a service and a command, as in `exec web ls -l`'),
    )
  })
})
