// `npm run bench`: every figure the project tracks, measured in one run on this machine, printed
// as markdown and written to bench/results.md. Figures, not tests: nothing here fails a build.
import { spawnSync } from 'node:child_process'
import { findReferenceCompose } from '../harness/conformance/reference-compose.js'
import { writeFileSync } from 'node:fs'
import { benchConfigLoad } from './config-load.js'
import { benchEcho, type Measure } from './echo.js'
import { benchEchoLoad } from './echo-load.js'
import { benchComposeEnvironment } from './compose-environment.js'
import { benchHostileInputs, benchTogether } from './reliability.js'
import { formatMs, ratio, summarize, type Summary } from './stats.js'

const cell = (s: Summary | undefined): string =>
  s ? `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)}, ${s.runs} runs)` : 'not installed'
const row = (what: string, ours: Summary, theirs: Summary | undefined, target: string): string =>
  `| ${what} | ${cell(ours)} | ${cell(theirs)} | ${ratio(ours, theirs)} | ${target} |`

/**
 * The two CLIs side by side, one process a command, `up -d` (no wait for the first echo) then
 * `down`, taking turns so that both meet the same engine state. The harness's includes Node's
 * start and loading its bundle.
 */
function cliRuns(
  reference: readonly string[] | undefined,
): Record<CliStep, { harness: Summary; composeCli?: Summary }> {
  const timedRun = (command: string, args: string[]) => {
    const start = performance.now()
    const run = spawnSync(command, args, { stdio: 'ignore' })
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${run.status}`)
    return performance.now() - start
  }
  const file = ['-f', 'fixtures/echo/docker-compose.yml']
  const tools = {
    harness: (...args: string[]) =>
      timedRun(process.execPath, ['bin/compose-harness.js', ...file, '-p', 'bench-cli', ...args]),
    ...(reference && {
      composeCli: (...args: string[]) =>
        timedRun(reference[0]!, [...reference.slice(1), ...file, '-p', 'benchcli', ...args]),
    }),
  }
  const times = { harness: new Map<CliStep, number[]>(), composeCli: new Map<CliStep, number[]>() }
  const record = (tool: keyof typeof times, step: CliStep, ms: number) =>
    times[tool].set(step, [...(times[tool].get(step) ?? []), ms])
  for (let i = 0; i < 5; i++) {
    for (const [tool, run] of Object.entries(tools) as [keyof typeof times, (...args: string[]) => number][]) {
      record(tool, 'help', run('--help'))
      record(tool, 'config', run('config', '-q'))
      record(tool, 'up', run('up', '-d'))
      record(tool, 'second', run('up', '-d'))
      record(tool, 'down', run('down'))
    }
  }
  const summary = (tool: keyof typeof times, step: CliStep) => {
    const runs = times[tool].get(step)
    return runs ? summarize(runs) : undefined
  }
  return Object.fromEntries(
    CLI_STEPS.map(([step]) => {
      const composeCli = summary('composeCli', step)
      return [step, { harness: summary('harness', step)!, ...(composeCli && { composeCli }) }]
    }),
  ) as Record<CliStep, { harness: Summary; composeCli?: Summary }>
}

type CliStep = 'help' | 'config' | 'up' | 'second' | 'down'
const CLI_STEPS: readonly [CliStep, string, string][] = [
  ['help', '`--help`', '< 100 ms'],
  ['config', '`config -q`', '≤ 1.0×'],
  ['up', '`up -d` (no wait for the first echo)', '—'],
  ['second', 'second `up -d`, nothing changed', '≤ 1.0×'],
  ['down', '`down`', '≤ 0.8×'],
]

// Compose v2, the reference: provisioning (run before this) fetches it where the machine has none.
const found = findReferenceCompose()
const reference = found.command
const config = benchConfigLoad(reference)
const echo = await benchEcho(reference)
const load = await benchEchoLoad()
const cli = cliRuns(reference)
const api = reference && (await benchComposeEnvironment(reference))
const hostile = await benchHostileInputs()
const together = await benchTogether()
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

| measure | compose-harness median (min–max) | Compose v2 median (min–max) | ratio | target |
|---|---|---|---|---|
${measures.map(([m, what, target]) => row(what, echo.harness[m], echo.composeCli?.[m], target)).join('\n')}
${row('load and check a 500-service file (`config`)', config.harness, config.composeCli, '< 100 ms, < 1×')}

| the floor: the echo containers through the engine API directly | compose-harness warm up | ratio | target |
|---|---|---|---|
| ${cell(echo.floor)} | ${cell(echo.harness.warm)} | ${(echo.harness.warm.median / echo.floor.median).toFixed(2)}× | ≤ 1.3× |

| the CLIs, one process a command (Node's start and loading the CLI included) | compose-harness median (min–max) | Compose v2 median (min–max) | ratio | target |
|---|---|---|---|---|
${CLI_STEPS.map(([step, what, target]) => row(what, cli[step].harness, cli[step].composeCli, target)).join('\n')}

| the APIs in a test suite: the echo project up to its first echo, then down | compose-harness median (min–max) | Testcontainers' DockerComposeEnvironment (Compose v2) median (min–max) | ratio | target |
|---|---|---|---|---|
${api ? [row("up, with each API's default waits", api.harness.up, api.environment.up, '≤ 0.5×'), row('down', api.harness.down, api.environment.down, '≤ 0.4×')].join('\n') : '| not measured: no Compose v2 | | | | |'}

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
