import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose, type StartedCompose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { older } from '../../harness/runtime/create/engine-limits.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// Settings an older engine would silently ignore: on the engine at hand (this machine's in
// `npm test`, each engine of the matrix in `npm run test:engines`), each is applied and seen in the
// container where the engine's API has it, and refused with the reason, before anything is
// created, where it does not.
const DIR = resolve('fixtures/engine-settings')

interface EngineSetting {
  readonly file: string
  readonly api: string
  readonly applied: (started: StartedCompose, project: string) => Promise<void>
}

const output = async (started: StartedCompose, command: string[]): Promise<string> => {
  const run = await started.service('app').exec(command)
  expect(run.exitCode, run.stderr).toBe(0)
  return run.stdout.trim()
}
const network = async (started: StartedCompose, name: string) =>
  (await started.service('app').inspect()).NetworkSettings.Networks[name] as unknown as Record<string, unknown>

const SETTINGS: Record<string, EngineSetting> = {
  annotations: {
    file: 'annotations.yml',
    api: '1.43',
    applied: async (started) => {
      const host = (await started.service('app').inspect()).HostConfig as { Annotations?: Record<string, string> }
      expect(host.Annotations).toEqual({ 'com.example.note': 'annotated' })
    },
  },
  'a start interval': {
    file: 'start-interval.yml',
    api: '1.44',
    applied: async (started) => {
      const { Config, State } = await started.service('app').inspect()
      expect(Config.Healthcheck).toMatchObject({ Interval: 3600e9, StartPeriod: 60e9, StartInterval: 200e6 })
      expect(State.Health?.Status).toBe('healthy')
    },
  },
  'a MAC address per network': {
    file: 'mac-address.yml',
    api: '1.44',
    applied: async (started, project) => {
      expect((await network(started, `${project}_front`)).MacAddress).toBe('02:42:ac:11:00:42')
    },
  },
  "a volume's subpath": {
    file: 'subpath.yml',
    api: '1.45',
    applied: async (started) => {
      expect(await output(started, ['ls', '/sub'])).toBe('file')
      expect(await output(started, ['cat', '/sub/file'])).toBe('from-the-subpath')
    },
  },
  'an image mount': {
    file: 'image-mount.yml',
    api: '1.48',
    applied: async (started) => {
      expect(await output(started, ['cat', '/probe/debian_version'])).toMatch(/^12\./)
      const write = await started.service('app').exec(['touch', '/probe/new'])
      expect(write.exitCode).not.toBe(0)
    },
  },
  'a gateway priority': {
    file: 'gw-priority.yml',
    api: '1.48',
    applied: async (started, project) => {
      expect((await network(started, `${project}_front`)).GwPriority).toBe(7)
      expect((await network(started, `${project}_back`)).GwPriority ?? 0).toBe(0)
    },
  },
  'an interface name': {
    file: 'interface-name.yml',
    api: '1.49',
    applied: async (started) => {
      expect((await output(started, ['ls', '/sys/class/net'])).split(/\s+/)).toContain('front0')
    },
  },
}

describe.skipIf(!inject('engineReady'))('settings that need a newer engine', () => {
  it.concurrent.each(Object.entries(SETTINGS))(
    '%s: applied where the engine has it, refused with the reason where it does not',
    async (_, setting) => {
      const { ApiVersion } = await (await connectEngine()).container.dockerode.version()
      const project = uniqueProjectName('engine-setting')
      const compose = Compose.fromFiles(resolve(DIR, setting.file)).withProjectName(project)
      if (older(ApiVersion, setting.api)) {
        await expect(compose.up()).rejects.toThrow(
          new RegExp(
            `needs engine API ${setting.api.replace('.', '\\.')} \\(Docker [\\d.]+\\); this engine speaks ${ApiVersion.replace('.', '\\.')} and would ignore it`,
          ),
        )
      } else {
        // Bounded: a health check the engine did not apply as asked fails the wait, not the test's timeout.
        await using started = await compose.up({ timeoutMs: 30_000 })
        await setting.applied(started, project)
      }
      expect(await leftOf(project)).toEqual([])
    },
  )
})
