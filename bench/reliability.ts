// Reliability figures for docs/reliability.md: peak memory of the CLI under each hostile input (next to a
// valid file's, measured in the same run), and what runs of one project started together leave.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { connectEngine } from '../harness/runtime/engine/engine.js'
import { runCli, startCli } from '../specs/support/cli.js'
import { eventually } from '../specs/support/eventually.js'
import { statesOf } from '../specs/containers/support/observe.js'
import { aliasBomb, aliasedLongString } from '../specs/support/hostile-files.js'

export interface PeakMemory {
  readonly input: string
  readonly peakMiB: number
  /** The CLI's exit code: 1 for an input it refuses. */
  readonly code: number
}

export interface Together {
  readonly rounds: number
  readonly atOnce: number
  readonly failed: number
  /** The most networks the project had after one round of `up -d`s (one means no duplicate). */
  readonly mostNetworks: number
  /** Containers, networks and volumes left after each round's `down`s, summed. */
  readonly leftAfterDown: number
}

/** Each input: a file of the repository, or the text of one written for the run. */
const HOSTILE: readonly [string, { file: string } | { text: string }][] = [
  ['valid file (fixtures/echo), for scale', { file: resolve('fixtures/echo/docker-compose.yml') }],
  ['nested aliases, 9 levels of 10 (10⁹ values once expanded)', { text: aliasBomb() }],
  ['a 90 KB string aliased 190 times (17 MB)', { text: aliasedLongString(90_000, 190) }],
  ['`env_file: /dev/zero`', { text: 'services:\n  web:\n    image: w\n    env_file: /dev/zero\n' }],
]

/** `config -q` of each input, one process each. */
export async function benchHostileInputs(): Promise<PeakMemory[]> {
  const figures: PeakMemory[] = []
  const dir = mkdtempSync(join(tmpdir(), 'bench-hostile-'))
  try {
    for (const [i, [input, source]] of HOSTILE.entries()) {
      const file = 'file' in source ? source.file : join(dir, `compose-${i}.yml`)
      if ('text' in source) writeFileSync(file, source.text)
      const run = await runCli(['-f', file, 'config', '-q'])
      figures.push({ input: `\`config -q\`: ${input}`, peakMiB: run.peakMiB, code: run.code })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  figures.push(await chattyUp('fast'), await chattyUp('slow'))
  return figures
}

/** A foreground `up` of a service that writes 40 MB at once, read as it comes or not read until the container has exited. */
async function chattyUp(reader: 'fast' | 'slow'): Promise<PeakMemory> {
  const project = `bench-chatty-${reader}`
  const cli = startCli(['-f', 'fixtures/runtime/chatty/compose.yml', '-p', project, 'up', '--down-on-exit'], {
    timeoutMs: 300_000,
  })
  if (reader === 'slow') {
    await cli.waitFor(/Attaching to chatty-1/)
    cli.child.stdout!.pause()
    await eventually(
      () => statesOf(project),
      (states) => states[0] === 'exited',
      300_000,
      250,
    )
    cli.child.stdout!.resume()
  }
  const code = await cli.exited
  return {
    input: `foreground \`up\` of a service writing 40 MB, its reader ${reader === 'fast' ? 'keeping up' : 'not reading until the service has exited'}`,
    peakMiB: await cli.peakMiB,
    code,
  }
}

/** `rounds` times: `atOnce` `up -d` of one project started together, then `atOnce` `down` together. */
export async function benchTogether(rounds = 10, atOnce = 4): Promise<Together> {
  const docker = (await connectEngine()).container.dockerode
  const project = 'bench-together'
  const cli = ['-f', 'fixtures/echo/docker-compose.yml', '-p', project]
  const label = { label: [`com.docker.compose.project=${project}`] }
  let failed = 0
  let mostNetworks = 0
  let leftAfterDown = 0
  for (let round = 0; round < rounds; round++) {
    const ups = await Promise.all(Array.from({ length: atOnce }, () => runCli([...cli, 'up', '-d'])))
    failed += ups.filter((u) => u.code !== 0).length
    mostNetworks = Math.max(mostNetworks, (await docker.listNetworks({ filters: label })).length)
    const downs = await Promise.all(Array.from({ length: atOnce }, () => runCli([...cli, 'down'])))
    failed += downs.filter((d) => d.code !== 0).length
    leftAfterDown +=
      (await docker.listContainers({ all: true, filters: label })).length +
      (await docker.listNetworks({ filters: label })).length
  }
  return { rounds, atOnce, failed, mostNetworks, leftAfterDown }
}
