import { describe, expect, it } from 'vitest'
import { parallelLimit, splitCommandLine, standaloneArgs } from '../../../harness/cli/global-flags.js'
import { parseOptions } from '../../../harness/cli/options.js'
import { UsageError } from '../../../harness/cli/usage-error.js'
import { logPrefixer, WATCH_WRITER, watchPrefixer } from '../../../harness/cli/log-prefixer.js'

describe('splitCommandLine', () => {
  it('takes repeated -f, -p and --project-directory before the command', () => {
    expect(
      splitCommandLine(['-f', 'a.yml', '--file=b.yml', '-p', 'demo', '--project-directory', 'dir', 'up', '-d']),
    ).toEqual({
      globals: { files: ['a.yml', 'b.yml'], envFiles: [], profiles: [], projectName: 'demo', projectDirectory: 'dir' },
      command: 'up',
      rest: ['-d'],
    })
  })

  it('ends at the command, and takes -h or --help before it', () => {
    expect(splitCommandLine(['--help'])).toEqual({
      globals: { files: [], envFiles: [], profiles: [], help: true },
      command: undefined,
      rest: [],
    })
    expect(splitCommandLine(['-f', 'a.yml', 'exec', '-f', 'web'])).toMatchObject({
      command: 'exec',
      rest: ['-f', 'web'],
    })
  })

  it('refuses an unknown global flag and a flag without its value', () => {
    expect(() => splitCommandLine(['--nope', 'up'])).toThrow(new UsageError('unknown flag --nope'))
    expect(() => splitCommandLine(['-f'])).toThrow(new UsageError('-f needs a value'))
  })
  it('reads the command line as standalone Compose v2 rewrites it: -v and --version are the version command, --verbose is --debug', () => {
    expect(standaloneArgs(['-v'])).toEqual(['version'])
    expect(standaloneArgs(['--version', '--short'])).toEqual(['version', '--short'])
    expect(standaloneArgs(['--verbose', '-p', 'x', 'ps', '-v'])).toEqual(['--debug', '-p', 'x', 'ps', '-v'])
    expect(splitCommandLine(['-v', '--format', 'json'])).toMatchObject({
      command: 'version',
      rest: ['--format', 'json'],
    })
    expect(splitCommandLine(['--verbose', '--log-level', 'debug', '-D', 'ps']).command).toBe('ps')
  })

  it('takes the deprecated --no-ansi and --workdir as v2 does, saying so, and refuses them beside what replaces them', () => {
    expect(splitCommandLine(['--no-ansi', '--workdir', 'app', 'ps']).globals).toMatchObject({
      ansi: 'never',
      projectDirectory: 'app',
      deprecations: [
        "option '--no-ansi' is DEPRECATED ! Please use '--ansi' instead.",
        "option '--workdir' is DEPRECATED at root level! Please use '--project-directory' instead.",
      ],
    })
    expect(splitCommandLine(['--no-ansi', '--ansi', 'auto', 'ps']).globals.ansi).toBe('never')
    expect(() => splitCommandLine(['--no-ansi', '--ansi', 'always', 'ps'])).toThrow(
      'cannot specify DEPRECATED "--no-ansi" and "--ansi"',
    )
    expect(() => splitCommandLine(['--workdir', 'a', '--project-directory', 'b', 'ps'])).toThrow(
      'cannot specify DEPRECATED "--workdir" and "--project-directory"',
    )
    expect(splitCommandLine(['-H', 'tcp://127.0.0.1:2375', 'ps']).globals.host).toBe('tcp://127.0.0.1:2375')
  })

  it('takes the docker CLI’s TLS flags before the command, as standalone Compose v2 does', () => {
    expect(splitCommandLine(['ps']).globals.tls).toBeUndefined()
    const { globals, command } = splitCommandLine([
      '--tlsverify',
      '--tlscacert',
      'a/ca.crt',
      '--tlscert=a/c.crt',
      '--tlskey',
      'a/c.key',
      'ps',
    ])
    expect(command).toBe('ps')
    expect(globals.tls).toEqual({ verify: true, caFile: 'a/ca.crt', certFile: 'a/c.crt', keyFile: 'a/c.key' })
    expect(splitCommandLine(['--tlsverify=false', 'ps']).globals.tls).toEqual({ verify: false })
    expect(splitCommandLine(['--tls', 'ps']).globals.tls).toEqual({ tls: true })
  })

  it('takes --progress, else COMPOSE_PROGRESS of the environment it is given; none is quiet', () => {
    expect(splitCommandLine(['--progress', 'none', 'up']).globals.progress).toBe('quiet')
    expect(splitCommandLine(['up'], { COMPOSE_PROGRESS: 'plain' }).globals.progress).toBe('plain')
    expect(splitCommandLine(['--progress', 'json', 'up'], { COMPOSE_PROGRESS: 'plain' }).globals.progress).toBe('json')
    expect(splitCommandLine(['up'], { COMPOSE_PROGRESS: '' }).globals.progress).toBeUndefined()
    expect(() => splitCommandLine(['up'], { COMPOSE_PROGRESS: 'fancy' })).toThrow(
      new UsageError('COMPOSE_PROGRESS is one of auto, tty, plain, quiet, json, got fancy'),
    )
    expect(() => splitCommandLine(['--progress', 'fancy', 'up'])).toThrow('--progress is one of')
  })
})

describe('parseOptions, the one option parser', () => {
  const table = {
    detach: { type: 'boolean', short: 'd' },
    tty: { type: 'boolean', short: 'T' },
    env: { type: 'string', short: 'e', multiple: true },
    tail: { type: 'string' },
  } as const

  it('reads long and short forms, values inline or next, grouped flags, repeats and the last of a single value', () => {
    const { values, positionals } = parseOptions(
      'x',
      ['web', '-dT', '-eA=1', '--env', 'B=2', '--env=C', '--tail', '5', '--tail=7', 'db'],
      table,
    )
    expect(values).toEqual({ detach: true, tty: true, env: ['A=1', 'B=2', 'C'], tail: '7' })
    expect(positionals).toEqual(['web', 'db'])
  })

  it('takes everything after -- as operands, and -h or --help as help', () => {
    expect(parseOptions('x', ['-h', '--', '-d', 'web'], table)).toEqual({
      values: { help: true },
      positionals: ['-d', 'web'],
    })
  })

  it('with operandsEndOptions, leaves everything from the first operand on untouched', () => {
    expect(parseOptions('run', ['-d', 'web', 'ls', '-l', '--tail', '5'], table, { operandsEndOptions: true })).toEqual({
      values: { detach: true },
      positionals: ['web', 'ls', '-l', '--tail', '5'],
    })
  })

  it('refuses an unknown flag, a value missing or given to a flag, naming the command', () => {
    expect(() => parseOptions('ps', ['--nope'], table)).toThrow(new UsageError('ps: unknown flag --nope'))
    expect(() => parseOptions('ps', ['-dx'], table)).toThrow(new UsageError('ps: unknown flag -x'))
    expect(() => parseOptions('ps', ['--tail'], table)).toThrow(new UsageError('ps: --tail needs a value'))
    expect(() => parseOptions('ps', ['-e'], table)).toThrow(new UsageError('ps: -e needs a value'))
    expect(() => parseOptions('ps', ['--detach=yes'], table)).toThrow(
      new UsageError('ps: --detach takes true or false, got yes'),
    )
    expect(parseOptions('ps', ['--detach=false', '-T'], table).values).toEqual({ detach: false, tty: true })
  })
})

describe('logPrefixer', () => {
  it('pads every container name to the longest, as Compose does', () => {
    const prefix = logPrefixer(['echo-server-1', 'client-1'], false)
    expect(prefix('client-1', 'Received: Hello, world')).toBe('client-1       | Received: Hello, world')
    expect(prefix('echo-server-1', 'x')).toBe('echo-server-1  | x')
  })

  it("makes room for the watch's lines among the containers' (up --watch), as Compose v2's #watch writer", () => {
    const prefix = logPrefixer(['web-1'], false, [WATCH_WRITER])
    expect(prefix('web-1', 'x')).toBe('web-1   | x')
    // As wide as the containers' prefixes, ` ⦿ ` for the name and the bar; green on a terminal.
    expect(watchPrefixer(['web-1'], false)('Watch enabled')).toBe('        ⦿ Watch enabled')
    expect(watchPrefixer(['a-long-name-1'], false)('x')).toBe(`${' '.repeat(14)} ⦿ x`)
    expect(watchPrefixer(['web-1'], true)('x')).toBe('\x1b[92m        ⦿ \x1b[0mx')
  })

  it("colours each container's prefix differently when asked", () => {
    const prefix = logPrefixer(['a-1', 'b-1'], true)
    expect(prefix('a-1', 'x')).toBe('\x1b[36ma-1  | \x1b[0mx')
    expect(prefix('b-1', 'x')).toBe('\x1b[33mb-1  | \x1b[0mx')
  })
})

describe('--parallel and COMPOSE_PARALLEL_LIMIT', () => {
  it('read as Compose v2 reads them: the flag first, -1 (or 0) for no limit, an integer or an error', () => {
    expect(parallelLimit(splitCommandLine(['--parallel', '2', 'build']).globals, { COMPOSE_PARALLEL_LIMIT: '5' })).toBe(
      2,
    )
    expect(parallelLimit({}, { COMPOSE_PARALLEL_LIMIT: '5' })).toBe(5)
    expect(parallelLimit({}, {})).toBeUndefined()
    expect(parallelLimit(splitCommandLine(['--parallel=-1', 'build']).globals, {})).toBeUndefined()
    expect(() => parallelLimit({}, { COMPOSE_PARALLEL_LIMIT: 'many' })).toThrow(
      'COMPOSE_PARALLEL_LIMIT must be an integer (found: "many")',
    )
    expect(() => splitCommandLine(['--parallel', 'x', 'build'])).toThrow('--parallel must be an integer')
  })
})
