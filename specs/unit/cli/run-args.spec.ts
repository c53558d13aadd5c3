import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../harness/cli/usage-error.js'
import { parseRunArgs } from '../../../harness/cli/commands/run.js'

describe('parseRunArgs', () => {
  it('takes the options before SERVICE and the command after it untouched', () => {
    const { service, options } = parseRunArgs(
      [
        '--rm',
        '-e',
        'A=1',
        '-eB',
        '--env=C=3',
        '-u',
        '1000',
        '-w/tmp',
        '--entrypoint',
        'sh -c \'echo "$0"\'',
        '--name',
        'once',
        '-l',
        'team=core',
        '-p',
        '127.0.0.1:8080:80',
        '--no-deps',
        '--use-aliases',
        '--pull=never',
        '-T',
        'web',
        'ls',
        '-l',
        '--rm',
      ],
      (name) => (name === 'B' ? 'two' : undefined),
    )
    expect(service).toBe('web')
    expect(options).toEqual({
      command: ['ls', '-l', '--rm'],
      entrypoint: ['sh', '-c', 'echo "$0"'],
      environment: { A: '1', B: 'two', C: '3' },
      labels: { team: 'core' },
      publish: [{ target: 80, published: '8080', hostIp: '127.0.0.1', protocol: 'tcp', mode: 'ingress' }],
      servicePorts: false,
      useAliases: true,
      noDeps: true,
      detach: false,
      remove: true,
      pull: 'never',
      user: '1000',
      workingDir: '/tmp',
      name: 'once',
    })
  })

  it('leaves out the command when none is given, and takes -d and --service-ports', () => {
    const { options } = parseRunArgs(['-d', '--service-ports', 'web'])
    expect(options.command).toBeUndefined()
    expect(options.detach).toBe(true)
    expect(options.servicePorts).toBe(true)
  })

  it('takes --cap-add, --cap-drop, -q and --quiet-build, and --env-from-file under -e, the first file first', () => {
    const files: Record<string, string> = {
      'one.env': 'A=from-file\nB=${A}-b\nC=one\n',
      'two.env': 'C=two\nD=two\n',
    }
    const readText = (file: string) => {
      const text = files[file]
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${file}'`)
      return text
    }
    const parsed = parseRunArgs(
      [
        '--cap-add',
        'NET_ADMIN',
        '--cap-drop=CHOWN',
        '-q',
        '--quiet-build',
        '-e',
        'A=given',
        '--env-from-file',
        'one.env',
        '--env-from-file',
        'two.env',
        'web',
      ],
      () => undefined,
      readText,
    )
    expect(parsed.quiet).toBe(true)
    expect(parsed.quietBuild).toBe(true)
    expect(parsed.options.capAdd).toEqual(['NET_ADMIN'])
    expect(parsed.options.capDrop).toEqual(['CHOWN'])
    // -e wins; a file's ${A} sees -e's A.
    expect(parsed.options.environment).toEqual({ A: 'given', B: 'given-b', C: 'one', D: 'two' })
    expect(() => parseRunArgs(['--env-from-file', 'none.env', 'web'], () => undefined, readText)).toThrow(
      /run: --env-from-file none\.env: ENOENT/,
    )
  })

  it.each([
    [[], /run: give a service/],
    [['--rm', '-d', 'web'], /--rm and -d cannot be combined/],
    [['-p', '80:http', 'web'], /run: -p invalid port "80:http"/],
    [['--pull', 'sometimes', 'web'], /--pull takes always, missing, never, build, got "sometimes"/],
    [['-v', './data:/data', 'web'], /-v is not supported by compose-harness/],
    [['--entrypoint', "sh -c 'open", 'web'], /--entrypoint has an unterminated quote/],
    [['--frobnicate', 'web'], /run: unknown flag --frobnicate/],
    [['-e'], /run: -e needs a value/],
  ])('refuses %j with a usage error', (args, message) => {
    expect(() => parseRunArgs(args)).toThrow(UsageError)
    expect(() => parseRunArgs(args)).toThrow(message)
  })
})
