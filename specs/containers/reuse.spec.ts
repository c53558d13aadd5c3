import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose, type ConvergeEvent } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { SESSION_LABEL } from '../../harness/runtime/engine/labels.js'
import { runCli } from '../support/cli.js'
import { runFixtureSpecs } from './support/fixture-specs.js'
import { leftOf } from './support/observe.js'
import { ECHO_FILE, TEST_PROJECT_PREFIX, uniqueProjectName } from './support/test-projects.js'

const actions = (events: ConvergeEvent[]) => events.map((e) => `${e.service} ${e.action}`).sort()

/** The project's containers that carry a reaper's session: a reaper would remove them with its run. */
async function reaped(project: string): Promise<string[]> {
  const docker = (await connectEngine()).container.dockerode
  const containers = await docker.listContainers({
    all: true,
    filters: { label: [`com.docker.compose.project=${project}`, SESSION_LABEL] },
  })
  return containers.map((c) => c.Names[0]!)
}

describe.skipIf(!inject('engineReady'))('a project reused across runs', () => {
  it('outlives its run unreaped; the next up keeps what is unchanged and recreates what changed; ls shows it, down removes it', async () => {
    const name = uniqueProjectName('reuse')
    const compose = () => Compose.fromFiles(ECHO_FILE).withProjectName(name)
    try {
      let ids: string[]
      {
        await using first = await compose().up({ reuse: true })
        expect(first.reused).toBe(true)
        ids = first.services.map((h) => h.id)
      }
      expect(await leftOf(name)).toEqual(expect.arrayContaining([`/${name}-echo-server-1`, `/${name}-client-1`]))
      expect(await reaped(name)).toEqual([])
      const events: ConvergeEvent[] = []
      const again = await compose().up({ reuse: true, onEvent: (e) => events.push(e) })
      expect(again.services.map((h) => h.id)).toEqual(ids)
      expect(actions(events)).toEqual(['client kept', 'echo-server kept'])
      events.length = 0
      await compose()
        .withOverride({ services: { client: { environment: { ECHO_INTERVAL: '0.3' } } } })
        .up({ reuse: true, onEvent: (e) => events.push(e) })
      expect(actions(events.filter((e) => e.action !== 'waiting' && e.action !== 'healthy'))).toEqual([
        'client recreated',
        'echo-server kept',
      ])
      expect((await Compose.projects()).map((p) => p.name)).toContain(name)
      const ls = await runCli(['ls'])
      expect(ls.stdout).toMatch(new RegExp(`^${name}\\s+running\\(2\\)`, 'm'))
      expect((await runCli(['-p', name, 'down', '-v'])).code).toBe(0)
      expect(await leftOf(name)).toEqual([])
    } finally {
      await compose().down({ volumes: true })
    }
  })

  it('without a name given, is named after what defines it: the same files and override the same project, another override another', async () => {
    const base = `${TEST_PROJECT_PREFIX}reuse-named`
    const compose = (interval: string) =>
      Compose.fromFiles(ECHO_FILE).withOverride({
        name: base,
        services: { client: { environment: { ECHO_INTERVAL: interval } } },
      })
    const names: string[] = []
    try {
      const one = await compose('0.5').up({ reuse: true })
      names.push(one.name)
      expect(one.name).toMatch(new RegExp(`^${base}-[0-9a-f]{10}$`))
      expect((await compose('0.5').up({ reuse: true })).name).toBe(one.name)
      const other = await compose('0.6').up({ reuse: true })
      names.push(other.name)
      expect(other.name).not.toBe(one.name)
    } finally {
      for (const name of names) await Compose.fromFiles(ECHO_FILE).withProjectName(name).down({ volumes: true })
    }
    for (const name of names) expect(await leftOf(name)).toEqual([])
  })

  it('is found up by the next run of a vitest file whose fixture asks for reuse, and kept', async () => {
    const report = join(mkdtempSync(join(tmpdir(), 'reuse-')), 'runs')
    const prefix = `${uniqueProjectName('reused')}-`
    const env = { REUSE_REPORT: report, REUSE_PREFIX: prefix }
    const runs = [runFixtureSpecs('reused-echo', env), runFixtureSpecs('reused-echo', env)]
    const [first, second] = readFileSync(report, 'utf8').trim().split('\n')
    const name = first!.split(' ')[0]!
    expect((await runCli(['-p', name, 'down', '-v'])).code).toBe(0)
    expect(runs.map((r) => r.status)).toEqual([0, 0])
    expect(first).toMatch(new RegExp(`^${prefix}\\d+-[0-9a-f]{10} \\w{64}$`))
    expect(second).toBe(first)
    expect(await leftOf(name)).toEqual([])
  })
})
