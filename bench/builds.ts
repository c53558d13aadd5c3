// Builds, side by side: compose-harness (its API in this process, and its CLI) and Compose v2 (its
// CLI) build the same project on the same engine's BuildKit, taking turns: a first build (a step
// whose input is new, so that BuildKit runs it), a rebuild with nothing changed, and a rebuild after
// the image was removed (the builder's cache kept, as it is on a developer's machine).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Compose } from '../harness/index.js'
import { connectEngine } from '../harness/runtime/engine/engine.js'
import { timed } from './echo.js'
import { summarize, type Summary } from './stats.js'
import { timedRun } from './timed-run.js'

export const BUILD_MEASURES = ['first', 'unchanged', 'removed'] as const
export type BuildMeasure = (typeof BUILD_MEASURES)[number]
export const BUILD_CONTENDERS = ['api', 'cli', 'composeCli'] as const
export type BuildContender = (typeof BUILD_CONTENDERS)[number]
export type BuildFigures = Partial<Record<BuildContender, Record<BuildMeasure, Summary>>>

const RUNS = 5

/** A context of 300 small files and two of 1 MiB, a step that does real work, and a nonce that makes it run again. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-builds-'))
  mkdirSync(join(dir, 'files'))
  for (let i = 0; i < 300; i++) writeFileSync(join(dir, 'files', `f${i}.txt`), `file ${i}\n`.repeat(20))
  for (const name of ['a.bin', 'b.bin']) writeFileSync(join(dir, 'files', name), Buffer.alloc(1 << 20, name))
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      'FROM debian:bookworm',
      'COPY nonce /nonce',
      'RUN for i in $(seq 1 2000); do echo "$i" > /tmp/f$i; done && tar -cf /work.tar /tmp/f* && rm /tmp/f*',
      'COPY files/ /files/',
      'CMD ["cat", "/nonce"]',
      '',
    ].join('\n'),
  )
  writeFileSync(join(dir, 'compose.yml'), 'services:\n  app:\n    build: .\n')
  return dir
}

export async function benchBuilds(reference: readonly string[] | undefined): Promise<BuildFigures> {
  const dir = project()
  const docker = (await connectEngine()).container.dockerode
  const file = join(dir, 'compose.yml')
  const builds: Record<BuildContender, (() => Promise<number>) | undefined> = {
    api: () => timed(() => Compose.fromFiles(file).withProjectName('bench-build-api').build('always')),
    cli: async () =>
      timedRun(process.execPath, ['bin/compose-harness.js', '-f', file, '-p', 'bench-build-cli', 'build']),
    composeCli:
      reference &&
      (async () => timedRun(reference[0]!, [...reference.slice(1), '-f', file, '-p', 'bench-build-v2', 'build'])),
  }
  const image = (c: BuildContender) => `bench-build-${{ api: 'api', cli: 'cli', composeCli: 'v2' }[c]}-app`
  const remove = (c: BuildContender) => docker.getImage(image(c)).remove({ force: true })
  const runs = Object.fromEntries(
    BUILD_CONTENDERS.map((c) => [c, { first: [] as number[], unchanged: [] as number[], removed: [] as number[] }]),
  ) as Record<BuildContender, Record<BuildMeasure, number[]>>
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const contender of BUILD_CONTENDERS) {
        const build = builds[contender]
        if (!build) continue
        // Each contender's first build meets a step it has never seen: a nonce of its own.
        writeFileSync(join(dir, 'nonce'), `${contender} ${i} ${Date.now()}\n`)
        runs[contender].first.push(await build())
        runs[contender].unchanged.push(await build())
        await remove(contender)
        runs[contender].removed.push(await build())
        // The next first build makes a new image: this one goes now, not to be left untagged then.
        await remove(contender)
      }
    }
  } finally {
    for (const c of BUILD_CONTENDERS) await remove(c).catch(() => undefined)
    rmSync(dir, { recursive: true, force: true })
  }
  return Object.fromEntries(
    BUILD_CONTENDERS.filter((c) => builds[c]).map((c) => [
      c,
      Object.fromEntries(BUILD_MEASURES.map((m) => [m, summarize(runs[c][m])])),
    ]),
  )
}
