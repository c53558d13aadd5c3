import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding, type Finding } from '../../../harness/conformance/findings.js'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { plain, runCli } from '../../support/cli.js'
import { leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

const FILE = resolve('fixtures/conformance/lifecycle/compose.yml')
const PREFIX = ' DRY-RUN MODE - '

interface Shown {
  readonly code: number
  /** Each progress line without the prefix, spaces collapsed, and how many times it came. */
  readonly lines: Map<string, number>
  /** The last line of standard output or error that is not progress: a refusal, or the end of a foreground `up`. */
  readonly said: string
}

function shown(run: { code: number; stdout: string; stderr: string }): Shown {
  const all = plain(`${run.stderr}\n${run.stdout}`).split('\n')
  const lines = new Map<string, number>()
  for (const line of all.filter((l) => l.startsWith(PREFIX))) {
    const bare = line.slice(PREFIX.length).trim().replace(/\s+/g, ' ')
    lines.set(bare, (lines.get(bare) ?? 0) + 1)
  }
  const others = all.filter((l) => l.trim() !== '' && !l.startsWith(PREFIX) && !/level=warn/.test(l))
  // `rm` names the containers newest first, in the engine's order within a second, as both tools do.
  return { code: run.code, lines, said: others.at(-1) ?? '' }
}

/**
 * Compose v2's dry run keeps the containers it pretends to create in a list that two creates at once
 * append to without a lock (DryRunClient.ContainerCreate): now and then one is lost, and v2 then shows
 * that container created but never started, where the harness shows it started. The reference's run
 * is then run again (three runs at most): the race is v2's, not a difference of the two tools.
 */
function lostByTheReference(ours: Shown, theirs: Shown): boolean {
  return [...theirs.lines.keys()].some((line) => {
    const name = /^Container (\S+) Created$/.exec(line)?.[1]
    return (
      name !== undefined &&
      ours.lines.has(`Container ${name} Started`) &&
      !theirs.lines.has(`Container ${name} Started`)
    )
  })
}

/**
 * What the engine has of the two projects (every name of either tool's making holds the project's
 * name) and the image they run: a dry run must leave it as it was. Other specs run beside this one:
 * the rest of the engine is theirs.
 */
async function ofProjects(project: string): Promise<string[]> {
  const docker = (await connectEngine()).container.dockerode
  const named = { filters: { name: [project] } }
  const containers = await docker.listContainers({ all: true, ...named })
  const networks = await docker.listNetworks(named)
  const volumes = (await docker.listVolumes(named)).Volumes ?? []
  const image = await docker.getImage('compose-harness-probe').inspect()
  return [
    ...containers.map((c) => `container ${c.Names[0]} ${c.Id} ${c.State}`),
    ...networks.map((n) => `network ${n.Name} ${n.Id}`),
    ...volumes.map((v) => `volume ${v.Name}`),
    `image ${image.Id} ${image.RepoTags.join(',')}`,
  ].sort()
}

// Each line run by both tools with --dry-run against the same project, which the harness brought up
// for real (`fresh`: a project with nothing on the engine yet).
const CASES: readonly { readonly args: readonly string[]; readonly fresh?: true }[] = [
  { args: ['up', '-d'], fresh: true },
  { args: ['up', '-d'] },
  { args: ['up', '-d', '--force-recreate', 'app'] },
  { args: ['stop'] },
  { args: ['restart', 'web'] },
  { args: ['kill'] },
  { args: ['pause'] },
  { args: ['rm', '-s', '-f'] },
  { args: ['down', '-v'] },
  { args: ['scale', 'web=2'] },
  { args: ['up'] },
  { args: ['exec', 'app', 'true'] },
  { args: ['run', '--rm', 'app', 'true'] },
]

describe.skipIf(!inject('engineReady'))('--dry-run, against Compose v2', () => {
  it('shows what each command would do, as v2 shows it, and changes nothing on the engine', async () => {
    const project = uniqueProjectName('conf-dry')
    const fresh = `${project}-fresh`
    const findings: Finding[] = []
    const harness = (p: string, args: readonly string[]) =>
      runCli(['--dry-run', '-p', p, '-f', FILE, ...args], { timeoutMs: 60_000 })
    const reference = (p: string, args: readonly string[]) =>
      runReference(referenceCompose(), ['--dry-run', '-p', p, '-f', FILE, ...args], { timeoutMs: 60_000 })
    try {
      expect((await runCli(['-p', project, '-f', FILE, 'up', '-d'])).code).toBe(0)
      for (const { args, fresh: isFresh } of CASES) {
        const on = isFresh ? fresh : project
        const before = await ofProjects(project)
        const [ours, first] = (await Promise.all([harness(on, args), reference(on, args)])).map(shown)
        let theirs = first!
        for (let run = 2; run <= 3 && lostByTheReference(ours!, theirs); run++)
          theirs = shown(await reference(on, args))
        const command = args.join(' ')
        expect(await ofProjects(project), `--dry-run ${command} changed the engine`).toEqual(before)
        expect([ours!.code, ours!.said], command).toEqual([theirs.code, theirs.said])
        for (const line of new Set([...ours!.lines.keys(), ...theirs.lines.keys()])) {
          const [h, r] = [ours!.lines.get(line) ?? 0, theirs.lines.get(line) ?? 0]
          if (h !== r) findings.push({ kind: 'dry-run', command, line, harness: h, reference: r })
        }
        // Every case but the refusals shows progress: the comparison is never of two empty outputs.
        if (ours!.code === 0) expect(ours!.lines.size, command).toBeGreaterThan(0)
      }
    } finally {
      await runCli(['-p', project, '-f', FILE, 'down', '-v', '-t', '0'])
    }
    expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding)).toEqual([])
    expect([...(await leftOf(project)), ...(await leftOf(fresh))]).toEqual([])
  }, 300_000)
})
