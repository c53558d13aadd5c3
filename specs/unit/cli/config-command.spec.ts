import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCliSync, startCli } from '../../support/cli.js'
import { canonicalModel } from '../../../harness/conformance/canonical-model.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'

/** Runs the CLI; `config` never needs an engine. */
function cli(...args: string[]) {
  return runCliSync(args)
}

describe('compose-harness config', () => {
  it('prints every problem of a malformed file with file, line and key, exits 1 and prints nothing else', () => {
    const file = resolve('fixtures/invalid/many-problems.yml')
    const { code, stdout, stderr } = cli('-f', file, 'config')
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr.trim().split('\n')).toEqual([
      `${file}:4:13 services.web.ports[0]: invalid port "80:80:80:80": expected [[ip:]host:]container[/protocol], such as "8080:80" or "127.0.0.1:5000-5001:5000-5001/udp"`,
      `${file}:5:13 services.web.links[0]: undefined service "missing"`,
      `${file}:6:5 services.web.colour: unknown key`,
      `${file}:7:3 services.db: needs an \`image\` or a \`build\``,
      `${file}:8:5 services.db.restart: expected no, always, on-failure[:max-retries] or unless-stopped, got a string ("maybe")`,
    ])
  })

  it('prints the merged model as YAML, or as JSON, with the obsolete version as a warning', () => {
    const files = ['-f', 'fixtures/echo/docker-compose.yml', '-f', 'fixtures/echo/docker-compose.build.yml']
    const yaml = cli(...files, 'config')
    expect(yaml.code).toBe(0)
    expect(yaml.stderr).toMatch(/^WARN .*docker-compose\.yml: `version` is obsolete and ignored$/m)
    const doc = parse(yaml.stdout)
    expect(doc.services.client).toEqual({
      image: 'client',
      build: { context: resolve('.'), dockerfile: 'Dockerfile.client' },
      links: ['echo-server:talkto'],
      // A link is a dependency with restart: true, as Compose v2 prints it.
      depends_on: { 'echo-server': { condition: 'service_started', required: true, restart: true } },
      networks: { default: null },
    })
    // JSON has what Go writes without omitempty: a service's absent command and entrypoint as null,
    // a network's absent ipam as {}.
    const services = Object.fromEntries(
      Object.entries(doc.services as Record<string, object>).map(([name, s]) => [
        name,
        { ...s, command: null, entrypoint: null },
      ]),
    )
    const networks = { default: { ...doc.networks.default, ipam: {} } }
    expect(JSON.parse(cli(...files, 'config', '--format', 'json').stdout)).toEqual({ ...doc, services, networks })
  })

  it('only checks with -q: nothing on stdout, problems on stderr and in the exit code', () => {
    expect(cli('-f', 'fixtures/echo/docker-compose.yml', 'config', '-q')).toMatchObject({ code: 0, stdout: '' })
    const invalid = cli('-f', 'fixtures/invalid/many-problems.yml', 'config', '--quiet')
    expect([invalid.code, invalid.stdout, invalid.stderr.split('\n').length]).toEqual([1, '', 6])
  })

  it('lists the services of the active profiles', () => {
    const file = ['-f', 'fixtures/valid/profiles-tools/compose.yml']
    expect(cli(...file, 'config', '--services').stdout).toBe('api\n')
    expect(cli(...file, '--profile', 'perf', 'config', '--services').stdout).toBe('api\nloadgen\n')
  })

  it('reads variables from --env-file', () => {
    const { stdout } = cli(
      '-f',
      'fixtures/valid/env-files/compose.yml',
      '--env-file',
      'fixtures/valid/env-files/.env',
      'config',
      '--format',
      'json',
    )
    expect(JSON.parse(stdout).services.app.image).toBe('example/app:2.1')
  })

  it('ends quietly with its own exit code when the reader of its output has gone (`config | true`)', async () => {
    const config = startCli(['-f', 'fixtures/echo/docker-compose.yml', 'config'])
    config.child.stdout!.destroy()
    const code = await config.exited
    const stderr = config.stderr
    expect(stderr).toMatch(/^WARN .*`version` is obsolete and ignored\n$/)
    expect(code).toBe(0)
  })
})

describe('compose-harness config SERVICE…, against Compose v2', () => {
  const file = resolve('fixtures/conformance/selected-services/compose.yml')
  const both = async (args: string[]) => {
    const ours = cli('-f', file, 'config', ...args)
    const theirs = await runReference(referenceCompose(), ['-f', file, 'config', ...args])
    const printed = (r: { code: number; stdout: string }) => ({
      code: r.code,
      // A list as a set: Compose v2 prints some in a Go map's order, which changes from run to run.
      model:
        r.code === 0 && args.includes('json')
          ? canonicalModel(JSON.parse(r.stdout))
          : r.stdout.trim().split('\n').sort(),
    })
    return [printed(ours), printed(theirs)]
  }

  it.each([
    [['--format', 'json', 'web']],
    [['--format', 'json', 'tool']],
    [['--format', 'json', 'db', 'web']],
    [['--images', 'web']],
    [['--services', 'web']],
    [['--volumes', 'web']],
  ])(
    '%j: the services named with what they depend on (a profile of one named turned on), and what they use',
    async (args) => {
      const [ours, theirs] = await both(args)
      expect(ours).toEqual(theirs)
      expect(theirs!.code).toBe(0)
    },
  )

  it('refuses a service the files do not define, as Compose v2 does', async () => {
    const [ours, theirs] = await both(['nosuch'])
    expect([ours!.code, theirs!.code]).toEqual([1, 1])
  })
})
