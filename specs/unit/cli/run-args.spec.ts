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
