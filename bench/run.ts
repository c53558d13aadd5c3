// `npm run bench`: every figure the project tracks, measured in one run on this machine, printed
// as markdown and written to bench/results.md. Figures, not tests: nothing here fails a build.
import { findReferenceCompose } from '../harness/conformance/reference-compose.js'
import { writeFileSync } from 'node:fs'
import { benchConfigLoad } from './config-load.js'
import { BUILD_MEASURES, benchBuilds, type BuildFigures, type BuildMeasure } from './builds.js'
import { benchEcho, type Measure } from './echo.js'
import { benchEchoLoad } from './echo-load.js'
import { benchComposeEnvironment } from './compose-environment.js'
import { benchHostileInputs, benchTogether } from './reliability.js'
import { formatMs, ratio, summarize, type Summary } from './stats.js'
import { CONTENDERS, benchScale, perService, SCALE_SIZES, type Contender, type ScaleFigures } from './scale.js'
import { lineChart } from './plot.js'
import { benchSuite } from './suite.js'
import { benchReuse } from './reuse.js'
import { benchStack } from './stack.js'
import { profileCli, type ProfileStep } from './cli-profile.js'
import { peakMiB } from './peak-memory.js'
import { cliRuns, CLI_STEPS } from './cli-runs.js'
import { targetsTable } from './targets.js'
import { timedRun } from './timed-run.js'
import { SUITE_TESTS } from './suite/suite-size.js'

const cell = (s: Summary | undefined): string =>
  s ? `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)}, ${s.runs} runs)` : 'not installed'
const row = (what: string, ours: Summary, theirs: Summary | undefined, target: string): string =>
  `| ${what} | ${cell(ours)} | ${cell(theirs)} | ${ratio(ours, theirs)} | ${target} |`

/** Peak memory of `config -q` on the echo files, both CLIs, five runs each, taking turns. */
async function configPeaks(
  reference: readonly string[] | undefined,
): Promise<{ harness: Summary; composeCli?: Summary }> {
  const file = ['-f', 'fixtures/echo/docker-compose.yml', 'config', '-q']
  const peaks = { harness: [] as number[], composeCli: [] as number[] }
  for (let i = 0; i < 5; i++) {
    peaks.harness.push(await peakMiB(process.execPath, ['bin/compose-harness.js', ...file]))
    if (reference) peaks.composeCli.push(await peakMiB(reference[0]!, [...reference.slice(1), ...file]))
  }
  return { harness: summarize(peaks.harness), ...(reference && { composeCli: summarize(peaks.composeCli) }) }
}

/** The CLI's steps with the echo project up, as the second `up -d` meets it. */
function cliProfile(): ProfileStep[] {
  const cli = ['bin/compose-harness.js', '-f', 'fixtures/echo/docker-compose.yml', '-p', 'bench-profile']
  timedRun(process.execPath, [...cli, 'up', '-d'])
  try {
    return profileCli('bench-profile')
  } finally {
    timedRun(process.execPath, [...cli, 'down'])
  }
}

const LABELS: Record<Contender, [string, string]> = {
  floor: ['the floor (engine API, all at once)', '#999999'],
  api: ["compose-harness's API", '#1f77b4'],
  cli: ["compose-harness's CLI", '#2ca02c'],
  composeCli: ['Compose v2', '#d62728'],
}

const STEP_WORDS = { up: 'up -d', down: 'down' } as const
const STEPS = ['up', 'down'] as const

/** The contenders this run measured (Compose v2 only where it is installed). */
const measured = (figures: ScaleFigures) => CONTENDERS.filter((c) => figures[SCALE_SIZES[0]]?.[c])

function scaleTable(figures: ScaleFigures): string {
  const present = measured(figures)
  const seconds = (s: Summary | undefined) => (s ? `${(s.median / 1000).toFixed(2)} s` : 'n/a')
  const header = `| services | step | ${present.map((c) => LABELS[c][0]).join(' | ')} | CLI ÷ Compose v2 | API ÷ Compose v2 | target |`
  const rows = SCALE_SIZES.flatMap((n) =>
    STEPS.map((step) => {
      const of = (c: Contender) => figures[n]?.[c]?.[step]
      const versus = (c: Contender) => (of(c) ? ratio(of(c)!, of('composeCli')) : 'n/a')
      return `| ${n} | \`${STEP_WORDS[step]}\` | ${present.map((c) => seconds(of(c))).join(' | ')} | ${versus('cli')} | ${versus('api')} | ≤ 0.8× |`
    }),
  )
  const slopes = STEPS.map(
    (step) =>
      `| each added service, \`${STEP_WORDS[step]}\` | ${present.map((c) => `${(perService(figures, c, step) ?? NaN).toFixed(0)} ms`).join(' | ')} | | | no steeper than Compose v2 |`,
  )
  const failed = figures.failed ? [`| not measured ${figures.failed} |`] : []
  return [header, `|${'---|'.repeat(present.length + 5)}`, ...rows, ...slopes, ...failed].join('\n')
}

function scalePlot(figures: ScaleFigures): string {
  return lineChart(
    STEPS.map((step) => ({
      title: STEP_WORDS[step],
      series: measured(figures).map((c) => ({
        label: LABELS[c][0],
        colour: LABELS[c][1],
        points: SCALE_SIZES.filter((n) => figures[n]?.[c]).map(
          (n) => [n, figures[n]![c]![step].median / 1000] as const,
        ),
      })),
    })),
    'services',
    'seconds (median)',
  )
}

const BUILD_WORDS: Record<BuildMeasure, string> = {
  first: 'first build (a step it has not run before)',
  unchanged: 'rebuild, nothing changed',
  removed: 'rebuild after the image was removed (builder cache kept)',
}

function buildsTable(f: BuildFigures): string {
  const header =
    "| a project's build: 300 small files and two of 1 MiB in its context, a step that runs | compose-harness's API | compose-harness's CLI | Compose v2 | API ÷ Compose v2 | CLI ÷ Compose v2 | target |"
  const rows = BUILD_MEASURES.map(
    (m) =>
      `| ${BUILD_WORDS[m]} | ${cell(f.api?.[m])} | ${cell(f.cli?.[m])} | ${cell(f.composeCli?.[m])} | ${f.api ? ratio(f.api[m], f.composeCli?.[m]) : 'n/a'} | ${f.cli ? ratio(f.cli[m], f.composeCli?.[m]) : 'n/a'} | ≤ 1.0× |`,
  )
  return [header, '|---|---|---|---|---|---|---|', ...rows].join('\n')
}

// Compose v2, the reference: provisioning (run before this) fetches it where the machine has none.
const found = findReferenceCompose()
const reference = found.command
const config = benchConfigLoad(reference)
const echo = await benchEcho(reference)
const builds = await benchBuilds(reference)
const load = await benchEchoLoad()
const cli = await cliRuns(reference)
const api = reference && (await benchComposeEnvironment(reference))
const hostile = await benchHostileInputs()
const together = await benchTogether()
const peaks = await configPeaks(reference)
const profile = cliProfile()
const scaled = await benchScale(reference)
const suite = reference && benchSuite(reference)
const reuse = await benchReuse()
const stack = reference && (await benchStack(reference))
writeFileSync(new URL('scale.svg', import.meta.url), scalePlot(scaled))
const scale = hostile[0]!.peakMiB
const measures: [Measure, string, string][] = [
  ['cold', 'cold up to the first echo (echo images removed, layer cache kept)', '—'],
  ['warm', 'warm up to the first echo', '≤ 0.7×'],
  ['second', 'second up, nothing changed', '≤ 0.3×'],
  ['down', 'down', '≤ 0.7×'],
]
const report = `# Benchmark results

Measured on ${new Date().toISOString().slice(0, 10)}, ${process.platform}/${process.arch}, Node ${process.version}, with \`npm run bench\`.
compose-harness runs through its API in one process (as a test suite uses it; \`up\` without waiting for
health, as \`docker compose up -d\`); Compose v2 is ${found.command ? `\`${found.command.join(' ')}\` (${found.version})` : 'not installed'}, one process a command.

## Targets

${targetsTable({ cli, profile, peaks, scaled, echo, builds, api: api || undefined, suite: suite || undefined, reuse, stack: stack || undefined })}

## Figures

| measure | compose-harness median (min–max) | Compose v2 median (min–max) | ratio | target |
|---|---|---|---|---|
${measures.map(([m, what, target]) => row(what, echo.harness[m], echo.composeCli?.[m], target)).join('\n')}
${row('load and check a 500-service file (`config`)', config.harness, config.composeCli, '< 100 ms, < 1×')}

${buildsTable(builds)}

| the floor: the echo containers through the engine API directly | the floor median (min–max) | compose-harness median (min–max) | ratio | target |
|---|---|---|---|---|
| warm up to the first echo | ${cell(echo.floor)} | ${cell(echo.harness.warm)} | ${(echo.harness.warm.median / echo.floor.median).toFixed(2)}× | ≤ 1.3× |
| down: the client stopped, then the server, each removed, then the network | ${cell(echo.floorDown)} | ${cell(echo.harness.down)} | ${(echo.harness.down.median / echo.floorDown.median).toFixed(2)}× | — |

| the CLIs, one process a command (Node's start and loading the CLI included) | compose-harness median (min–max) | Compose v2 median (min–max) | ratio | target |
|---|---|---|---|---|
${CLI_STEPS.map(([step, what, target]) => row(what, cli[step].harness, cli[step].composeCli, target)).join('\n')}

| peak memory of \`config -q\` (VmHWM, read from /proc while it runs) | compose-harness median (min–max) | Compose v2 median (min–max) | ratio | target |
|---|---|---|---|---|
| echo files, 5 runs each | ${peaks.harness.median.toFixed(0)} MiB (${peaks.harness.min.toFixed(0)}–${peaks.harness.max.toFixed(0)}) | ${peaks.composeCli ? `${peaks.composeCli.median.toFixed(0)} MiB (${peaks.composeCli.min.toFixed(0)}–${peaks.composeCli.max.toFixed(0)})` : 'not installed'} | ${ratio(peaks.harness, peaks.composeCli)} | ≤ 1.2× |

Where the CLI's time goes: each step one process that does what the step before did and one thing more (medians of ${profile[0]!.total.runs} runs).

| step | total | this step's own cost |
|---|---|---|
${profile.map((p, i) => `| ${p.what} | ${formatMs(p.total.median)} | ${formatMs(p.total.median - (i ? profile[i - 1]!.total.median : 0))} |`).join('\n')}

At scale: a project of N services of one image (no build, one network, \`init: true\` so that each stops at once on SIGTERM), \`up -d\` then \`down\`, each contender in turn (medians of 3 runs; 2 at 100 services).

${scaleTable(scaled)}

![up -d and down against the number of services](scale.svg)

| a test suite: one vitest file of ${suite ? suite.tests : 20} tests, each its own project of the echo pair up to the first echo, then down | compose-harness's vitest fixture median (min–max) | the same suite with DockerComposeEnvironment median (min–max) | ratio | target |
|---|---|---|---|---|
${suite ? [row('wall time of `vitest run`, default workers', suite.harness, suite.environment, '≤ 0.5×'), row("the same, the next tests' projects brought up ahead (`ahead: 2`)", suite.harnessAhead, suite.environment, '—'), row("the same, one project shared by the file's tests (`scope: 'file'`)", suite.harnessFile, suite.environment, '≤ 0.1×')].join('\n') : '| not measured: no Compose v2 | | | | |'}

| a rerun with reuse: a fresh process's \`up({ reuse: true })\` of the echo pair left up by the run before, until ready (the libraries loaded, as a test's imports load them) | median (min–max) | target |
|---|---|---|
| ${cell(reuse)} | ≤ 100 ms |

| the APIs in a test suite: the echo project up to its first echo, then down | compose-harness median (min–max) | Testcontainers' DockerComposeEnvironment (Compose v2) median (min–max) | ratio | target |
|---|---|---|---|---|
${api ? [row("up, with each API's default waits", api.harness.up, api.environment.up, '≤ 0.5×'), row('down', api.harness.down, api.environment.down, '≤ 0.35×')].join('\n') : '| not measured: no Compose v2 | | | | |'}

| the three-service stack (bench/stack/: PostgreSQL, Redis, an API over both; healthchecks) | compose-harness's API median (min–max) | DockerComposeEnvironment (Compose v2) median (min–max) | ratio | target |
|---|---|---|---|---|
${stack ? [row('up until every service is healthy and the API answers', stack.harness.up, stack.environment.up, '≤ 0.5×'), row('down (the volume too)', stack.harness.down, stack.environment.down, '≤ 0.35×'), row(`a vitest file of ${SUITE_TESTS} tests, a stack each (the fixture; a request each), wall time of \`vitest run\``, stack.harness.perTest, stack.environment.perTest, '—'), row("the same, the next tests' stacks brought up ahead (`ahead: 2`)", stack.harness.perTestAhead, stack.environment.perTest, '≤ 0.5×'), row(`the same ${SUITE_TESTS} tests sharing one stack (\`scope: 'file'\`), against a stack each`, stack.harness.perFile, stack.environment.perTest, '≤ 0.1×'), `| a rerun with reuse, until ready | ${cell(stack.reuse)} | | | ≤ 100 ms |`].join('\n') : '| not measured: no Compose v2 | | | | |'}

| load: echo-server with ${load.clients} clients at once | messages sent | echoed back right | mismatched | errors | time |
|---|---|---|---|---|---|
| ${load.clients} client containers, ${load.sent / load.clients} messages each | ${load.sent} | ${load.echoed} | ${load.mismatched} | ${load.errors} | ${formatMs(load.ms)} |

| hostile input (the CLI, one process each) | exit code | peak memory | against the valid file |
|---|---|---|---|
${hostile.map((h) => `| ${h.input} | ${h.code} | ${h.peakMiB.toFixed(0)} MiB | ${(h.peakMiB / scale).toFixed(2)}× |`).join('\n')}

| runs of one project started together (\`up -d\`, then \`down\`) | rounds | failed runs | most networks of the project at once | left after \`down\` |
|---|---|---|---|---|
| ${together.atOnce} CLI processes at the same instant | ${together.rounds} | ${together.failed} | ${together.mostNetworks} | ${together.leftAfterDown} |
`
console.log(report)
writeFileSync(new URL('results.md', import.meta.url), report)
