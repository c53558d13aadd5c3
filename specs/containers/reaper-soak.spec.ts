import type { ContainerInfo } from 'dockerode'
import { randomInt } from 'node:crypto'
import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { staleReapers } from '../../harness/runtime/reaper/reaper.js'
import { runCli, startCli } from '../support/cli.js'
import { eventually } from '../support/eventually.js'
import { leftOf } from './support/observe.js'
import { startForeignProject } from './support/reaper-client.js'
import { uniqueProjectName } from './support/test-projects.js'

const FILE = resolve('fixtures/reaper/soak.yml')
const RUNS = 200
const AT_ONCE = 4
/** The kill comes at a moment drawn from this range after the run's start: from Node's own start to the attached output. */
const KILL_WITHIN_MS = 4000
const ENV = { TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT: '1s' }

interface Killed {
  readonly project: string
  readonly pid: number
  /** How far the run had got: the last of its phases that it printed. */
  readonly phase: 'starting' | 'started' | 'attached'
}

/** One foreground `up`, SIGKILLed at a random moment. */
async function killedRun(): Promise<Killed> {
  const project = uniqueProjectName('soak')
  const up = startCli(['-f', FILE, '-p', project, 'up'], { env: ENV })
  await Promise.race([up.exited, new Promise((r) => setTimeout(r, randomInt(KILL_WITHIN_MS)))])
  up.signal('SIGKILL')
  await up.exited
  const phase = /\| ready/.test(up.stdout) ? 'attached' : /Started/.test(up.stderr) ? 'started' : 'starting'
  return { project, pid: up.child.pid!, phase }
}

/** The reapers of the processes `pids` still on the engine, in any state. */
async function reapersOfAny(pids: ReadonlySet<number>): Promise<ContainerInfo[]> {
  const docker = (await connectEngine()).container.dockerode
  const reapers = await docker.listContainers({ all: true, filters: { label: ['com.compose-harness.reaper'] } })
  return reapers.filter((r) => pids.has(Number(r.Labels['com.compose-harness.reaper.pid'])))
}

describe.skipIf(!inject('engineReady'))('the reaper under a soak of killed runs', () => {
  it(`${RUNS} foreground runs, ${AT_ONCE} at a time, each SIGKILLed at a random moment: nothing of theirs is left, and a Compose v2 project and a plain container beside them are untouched`, async () => {
    const docker = (await connectEngine()).container.dockerode
    await using foreign = await startForeignProject()
    const plain = await docker.createContainer({
      Image: 'compose-harness-probe',
      Cmd: ['sleep', 'infinity'],
      HostConfig: { Init: true },
    })
    try {
      await plain.start()
      const killed: Killed[] = []
      let started = 0
      await Promise.all(
        Array.from({ length: AT_ONCE }, async () => {
          while (started++ < RUNS) killed.push(await killedRun())
        }),
      )
      const phases = new Map<string, number>()
      for (const { phase } of killed) phases.set(phase, (phases.get(phase) ?? 0) + 1)
      console.log(`soak: ${killed.length} runs killed: ${[...phases].map(([p, n]) => `${n} ${p}`).join(', ')}`)
      // Killed before the container started (Node's start, the reaper's, the network's, the
      // container's creation) and after its output was attached.
      expect([...phases.keys()]).toEqual(expect.arrayContaining(['starting', 'attached']))
      const pids = new Set(killed.map((k) => k.pid))
      // Every reaper that runs removes itself: one that no run ever reached once its first client
      // is overdue (20 s). What is left is only what cannot run: created and never started (its run
      // killed between the two calls), which the next run that starts a reaper removes once stale.
      const notRunning = await eventually(
        () => reapersOfAny(pids),
        (r) => r.every((c) => c.State === 'created' || c.State === 'exited'),
        120_000,
        1000,
      )
      expect(notRunning.filter((c) => c.State !== 'created' && c.State !== 'exited')).toEqual([])
      const stale = await eventually(
        () => reapersOfAny(pids),
        (r) => staleReapers(r, Date.now() / 1000).length === r.length,
        120_000,
        1000,
      )
      expect(staleReapers(stale, Date.now() / 1000)).toHaveLength(stale.length)
      console.log(`soak: ${stale.length} reaper(s) created and never started`)
      const lastProject = uniqueProjectName('soak-last')
      const last = startCli(['-f', FILE, '-p', lastProject, 'run', '--rm', 'app', 'true'], { env: ENV })
      expect(await last.exited).toBe(0)
      // `run --rm` keeps the project's network, as Compose v2 does.
      expect((await runCli(['-f', FILE, '-p', lastProject, 'down'])).code).toBe(0)
      expect(
        await eventually(
          () => reapersOfAny(new Set([...pids, last.child.pid!])).then((r) => r.map((c) => c.Names[0])),
          (r) => r.length === 0,
          120_000,
          1000,
        ),
      ).toEqual([])
      const left = (await Promise.all(killed.map((k) => leftOf(k.project)))).flat()
      expect(left).toEqual([])
      expect(await foreign.intact()).toBe(true)
      expect((await plain.inspect()).State.Running).toBe(true)
    } finally {
      await plain.remove({ force: true })
    }
  }, 600_000)
})
