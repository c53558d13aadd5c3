import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding, type Finding } from '../../../harness/conformance/findings.js'
import { stepEffects, type ResourceState, type Snapshot } from '../../../harness/conformance/lifecycle-states.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { inspectProject } from '../../../harness/runtime/project/project-inspection.js'
import { leftOf } from '../support/observe.js'
import { runCli } from '../../support/cli.js'
import { uniqueProjectName } from '../support/test-projects.js'

const DIR = resolve('fixtures/conformance/lifecycle')

/** One command of a scenario, given to both tools as the same arguments, after `-p` and the files. */
interface Step {
  readonly args: readonly string[]
  /** Override files of fixtures/conformance/lifecycle merged over compose.yml for this step. */
  readonly with?: readonly string[]
  /** Before the step, the worker's image tag is moved to this image (a rebuild, as the engine sees it). */
  readonly workerImage?: string
  /** Each tool runs the step on the other's project: Compose v2 on the harness's, the harness on v2's. */
  readonly handedOver?: boolean
  /** The step must keep every container, network and volume, whichever tool runs it. */
  readonly keepsAll?: boolean
  /** Run as `-p NAME` alone, without the files: the project as the engine's labels describe it. */
  readonly byName?: boolean
}

// Steps are cheaper than projects (the engine creates containers one at a time): each scenario
// takes one project through as many steps as it can.
const up: Step = { args: ['up', '-d'] }
const oneShot = ['one-shot.yml']
const SCENARIOS: Record<string, readonly Step[]> = {
  "changes: none, a dependency's, a dependent's, then --force-recreate and --no-recreate": [
    { ...up, with: oneShot },
    { ...up, with: oneShot },
    { ...up, with: [...oneShot, 'db-changed.yml'] },
    { ...up, with: [...oneShot, 'db-changed.yml', 'app-changed.yml'] },
    { args: ['up', '-d', '--force-recreate'], with: [...oneShot, 'db-changed.yml', 'app-changed.yml'] },
    { args: ['up', '-d', '--no-recreate'], with: oneShot },
  ],
  'an image rebuilt under the same tag, then scale up and down': [
    { ...up, workerImage: 'compose-harness-probe' },
    { ...up, workerImage: 'debian:bookworm' },
    { args: ['up', '-d', '--scale', 'worker=3'] },
    { args: ['up', '-d', '--scale', 'worker=1'] },
    { args: ['up', '-d', '--scale', 'worker=2'] },
    up,
  ],
  'stop, start and restart': [
    up,
    { args: ['stop', 'db'] },
    up,
    { args: ['stop', 'app'] },
    { args: ['start', 'app'] },
    { args: ['restart', 'db'] },
    { args: ['restart', '--no-deps', 'db'] },
    { args: ['restart'] },
  ],
  'orphans, and kill with and without them': [
    { args: ['up', '-d'], with: ['extra.yml'] },
    up,
    { args: ['kill'] },
    { args: ['up', '-d'], with: ['extra.yml'] },
    { args: ['kill', '--remove-orphans'] },
    { args: ['up', '-d', '--remove-orphans'] },
  ],
  'down, then down -v, then --all-resources': [
    up,
    { args: ['down', '-t', '1'] },
    up,
    { args: ['down', '-v', '-t', '1'] },
    { args: ['up', '-d'], with: ['unused.yml'] },
    { args: ['--all-resources', 'up', '-d'], with: ['unused.yml'] },
    // Compose v2 keeps what no service uses, unless told of it again (the divergence
    // down-removes-what-no-service-uses); the clean-up below tells it.
    { args: ['down', '-v', '-t', '1'], with: ['unused.yml'] },
  ],
  // Known by its name alone (no -f), Compose v2's down SERVICE takes what depends on the services
  // named with them; read from the files, the services named alone. Then it goes on to the
  // project's networks (and with -v, named volumes): those still in use stay (the data volume
  // mounted by db, the network worker runs on), and go with the last service.
  "down SERVICE, from the files and by the project's name": [
    up,
    { args: ['down', '-v', '-t', '1', 'app'] },
    { args: ['up', '-d'] },
    { args: ['down', '-t', '1', 'app'], byName: true },
    { args: ['down', '-t', '1', 'db'], byName: true },
    { args: ['down', '-v', '-t', '1', 'worker'] },
  ],
  'create, run --rm, up --wait, then rm -s': [
    { args: ['create'] },
    { args: ['run', '--rm', '-T', 'app', 'true'] },
    // --wait implies -d.
    { args: ['up', '--wait'] },
    { args: ['create'] },
    { args: ['rm', '-s', '-f', 'web'] },
    { args: ['rm', '-s', '-f'] },
  ],
  // One config hash: each tool keeps what the other started, and recreates the same on a change.
  "handed over: each brings up the other's project, unchanged, then changed": [
    up,
    { ...up, handedOver: true, keepsAll: true },
    { ...up, handedOver: true, with: ['db-changed.yml'] },
    { ...up, with: ['db-changed.yml'], keepsAll: true },
  ],
  // Compose v1's names (`p_web_1`): each tool keeps what the other started under them.
  '--compatibility, handed over': [
    { args: ['--compatibility', 'up', '-d'] },
    { args: ['--compatibility', 'up', '-d'], handedOver: true, keepsAll: true },
    { args: ['--compatibility', 'stop', 'web'] },
  ],
  'up SERVICE and --no-deps, --no-recreate, --always-recreate-deps and -V': [
    { args: ['up', '-d', 'app'] },
    { args: ['up', '-d', '--no-deps', 'web'] },
    { args: ['up', '-d', 'app'], with: ['db-changed.yml'] },
    // db differs from the files again: --no-recreate keeps it, as the dependency of what is named.
    { args: ['up', '-d', '--no-recreate', 'app'] },
    { args: ['up', '-d', '--always-recreate-deps', 'app'] },
    { args: ['up', '-d', '-V', 'db'] },
  ],
}

/** Scenarios run side by side, each step by both tools at once: on 2 cores a step takes seconds. */
const SCENARIO_TIMEOUT_MS = 300_000

type Tool = (
  project: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
) => Promise<{ code: number; stderr: string }>

describe.skipIf(!inject('engineReady'))('lifecycle, against Compose v2', () => {
  const reference = referenceCompose()
  const harness: Tool = (project, args, env) => runCli(['-p', project, ...args], { env })
  const compose: Tool = (project, args, env) => runReference(reference, ['-p', project, ...args], { env })

  it.concurrent.each(Object.entries(SCENARIOS))(
    '%s: every step keeps, starts, restarts, recreates and removes what Compose v2 does',
    async (name, steps) => {
      const base = uniqueProjectName('conf-life')
      const workerTag = `${base}-worker`
      const env = { ...process.env, WORKER_IMAGE: workerTag }
      const engine = await connectEngine()
      const docker = engine.container.dockerode
      const projects = { harness: `${base}-h`, reference: `${base}-r` }
      const anonymous = { harness: new Map<string, string>(), reference: new Map<string, string>() }
      const findings: Finding[] = []
      let before = { harness: new Map() as Snapshot, reference: new Map() as Snapshot }
      let referenceDown = ''
      let harnessDown = ''
      try {
        await docker.getImage('compose-harness-probe').tag({ repo: workerTag })
        for (const [i, step] of steps.entries()) {
          if (step.workerImage) await docker.getImage(step.workerImage).tag({ repo: workerTag })
          const files = step.byName ? [] : ['compose.yml', ...(step.with ?? [])].flatMap((f) => ['-f', join(DIR, f)])
          const [ownTool, otherTool] = step.handedOver ? [compose, harness] : [harness, compose]
          const runs = await Promise.all([
            ownTool(projects.harness, [...files, ...step.args], env),
            otherTool(projects.reference, [...files, ...step.args], env),
          ])
          expect(
            runs.map((r) => r.code),
            `step ${i + 1} (${step.args.join(' ')}): ${runs.map((r) => r.stderr).join('\n')}`,
          ).toEqual([0, 0])
          const after = {
            harness: await snapshot(projects.harness, anonymous.harness),
            reference: await snapshot(projects.reference, anonymous.reference),
          }
          const [ours, theirs] = [
            stepEffects(before.harness, after.harness),
            stepEffects(before.reference, after.reference),
          ]
          if (step.keepsAll)
            expect(
              [...ours, ...theirs].filter(([, effect]) => effect !== 'kept'),
              `step ${i + 1} keeps everything`,
            ).toEqual([])
          for (const key of new Set([...ours.keys(), ...theirs.keys()])) {
            const [h, r] = [ours.get(key) ?? 'absent', theirs.get(key) ?? 'absent']
            if (h !== r)
              findings.push({
                kind: 'lifecycle',
                step: `${i + 1} (${[...(step.with ?? []), ...step.args].join(' ')})`,
                resource: key,
                harness: h,
                reference: r,
              })
          }
          before = after
        }
      } finally {
        const files = ['compose.yml', 'extra.yml', 'unused.yml', ...oneShot].flatMap((f) => ['-f', join(DIR, f)])
        const down = [...files, '--all-resources', 'down', '-v', '-t', '0']
        // The reference's containers are stopped one at a time first: Compose v2 stops them all at
        // once, and Docker 20.10 then loses its network's count of endpoints for good (moby/moby#43286),
        // so that nothing removes the network until the engine restarts. Its down then removes them.
        const running = await docker.listContainers({
          filters: { label: [`com.docker.compose.project=${projects.reference}`] },
        })
        for (const c of running)
          await docker
            .getContainer(c.Id)
            .stop({ t: 0 })
            .catch(() => {})
        const [ours, theirs] = await Promise.all([
          harness(projects.harness, down, env),
          compose(projects.reference, down, env),
        ])
        harnessDown = ours.stderr
        // Compose v2's down does not wait, as the harness's does, for this engine to release the
        // endpoints of containers just removed: once in many runs its network is "still in use".
        // What the reference leaves is not the harness's defect, but it must not stay.
        for (let again = 0; again < 3 && (await leftOf(projects.reference)).length > 0; again++) {
          referenceDown += theirs.stderr
          await new Promise((resolve) => setTimeout(resolve, 2000))
          await compose(projects.reference, down, env)
        }
        await removeAnonymous([...anonymous.harness.keys(), ...anonymous.reference.keys()])
        await docker
          .getImage(workerTag)
          .remove()
          .catch(() => {})
      }
      expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding), name).toEqual([])
      expect(await leftOf(projects.harness), `the harness's down: ${harnessDown}`).toEqual([])
      expect(await leftOf(projects.reference), `Compose v2's down, run again: ${referenceDown}`).toEqual([])
    },
    SCENARIO_TIMEOUT_MS,
  )

  it(
    'down SERVICE of a stopped project: Compose v2 removes the network the others need, and cannot start them again; the harness keeps it (down-service-keeps-what-stopped-containers-need)',
    async () => {
      const base = uniqueProjectName('conf-life-stopped')
      const projects = { harness: `${base}-h`, reference: `${base}-r` }
      const files = ['-f', join(DIR, 'compose.yml')]
      const docker = (await connectEngine()).container.dockerode
      const networks = async (project: string) =>
        (await docker.listNetworks({ filters: { label: [`com.docker.compose.project=${project}`] } })).length
      const afterDown = async (tool: Tool, project: string) => {
        for (const args of [
          ['up', '-d'],
          ['stop', '-t', '1'],
          ['down', '-t', '1', 'web'],
        ])
          expect((await tool(project, [...files, ...args], process.env)).code, args.join(' ')).toBe(0)
        const left = await networks(project)
        return { left, start: await tool(project, [...files, 'start'], process.env) }
      }
      try {
        const [ours, theirs] = await Promise.all([
          afterDown(harness, projects.harness),
          afterDown(compose, projects.reference),
        ])
        expect(theirs.left).toBe(0)
        expect(theirs.start.code).not.toBe(0)
        expect(theirs.start.stderr).toMatch(/network \S+ not found/)
        expect(ours.left, 'the harness keeps the network').toBe(1)
        expect(ours.start.code, ours.start.stderr).toBe(0)
      } finally {
        const down = [...files, 'down', '-v', '-t', '0']
        await Promise.all([
          harness(projects.harness, down, process.env),
          compose(projects.reference, down, process.env),
        ])
      }
      expect([...(await leftOf(projects.harness)), ...(await leftOf(projects.reference))]).toEqual([])
    },
    SCENARIO_TIMEOUT_MS,
  )
})

/**
 * The project's containers, networks and volumes, under names without the project; anonymous
 * volumes (whose names are random) under the place they were first seen mounted, and tracked by
 * name from then on, since neither tool labels them.
 */
async function snapshot(project: string, anonymous: Map<string, string>): Promise<Snapshot> {
  const engine = await connectEngine()
  const { containers, networks, volumes } = await inspectProject(engine, project)
  const neutral = (name: string) => name.replace(/^\//, '').replace(project, '<project>')
  const out = new Map<string, ResourceState>()
  for (const c of containers) {
    out.set(`container ${neutral(c.Name)}`, { id: c.Id, startedAt: c.State.StartedAt, running: c.State.Running })
    for (const m of c.Mounts) {
      if (m.Type !== 'volume' || !m.Name || !/^[0-9a-f]{64}$/.test(m.Name) || anonymous.has(m.Name)) continue
      const place = `anonymous volume of ${neutral(c.Name)}:${m.Destination}`
      anonymous.set(m.Name, `${place} #${[...anonymous.values()].filter((p) => p.startsWith(place)).length + 1}`)
    }
  }
  for (const n of networks) out.set(`network ${neutral(n.Name)}`, { id: n.Id })
  for (const v of volumes) out.set(`volume ${neutral(v.Name)}`, { id: v.Name })
  const present = await Promise.all(
    [...anonymous.keys()].map((name) =>
      engine.container.dockerode
        .getVolume(name)
        .inspect()
        .then(
          () => true,
          () => false,
        ),
    ),
  )
  for (const [i, [name, place]] of [...anonymous].entries()) if (present[i]) out.set(place, { id: name })
  return out
}

/** What Compose v2 leaves of anonymous volumes (it keeps them without -v) must not outlive the spec. */
async function removeAnonymous(names: readonly string[]): Promise<void> {
  const docker = (await connectEngine()).container.dockerode
  await Promise.allSettled(names.map((n) => docker.getVolume(n).remove()))
}
