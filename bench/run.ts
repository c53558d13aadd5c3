// `npm run bench`: every figure the project tracks, measured in one run on this machine, printed
// as markdown and written to bench/results.md. Figures, not tests: nothing here fails a build.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { benchConfigLoad } from './config-load.js'
import { benchEcho, type Measure } from './echo.js'
import { benchEchoLoad } from './echo-load.js'
import { formatMs, ratio, summarize, type Summary } from './stats.js'

const cell = (s: Summary | undefined): string => (s ? `${formatMs(s.median)} (${formatMs(s.min)}–${formatMs(s.max)}, ${s.runs} runs)` : 'not installed')
const row = (what: string, ours: Summary, theirs: Summary | undefined, target: string): string =>
  `| ${what} | ${cell(ours)} | ${cell(theirs)} | ${ratio(ours, theirs)} | ${target} |`

function ensureComposeCli(): boolean {
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return true
  const apt = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'docker-compose'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  return apt.status === 0 && spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0
}

/** The harness's own CLI, one process a command: Node's start and TypeScript loading included. */
function harnessCliRuns(): { up: Summary; down: Summary } {
  const run = (...args: string[]) => {
    const start = performance.now()
    spawnSync(process.execPath, ['bin/compose-harness.js', '-f', 'fixtures/echo/docker-compose.yml', '-p', 'bench-cli', ...args], { stdio: 'ignore' })
    return performance.now() - start
  }
  const up: number[] = []
  const down: number[] = []
  for (let i = 0; i < 5; i++) {
    up.push(run('up', '-d'))
    down.push(run('down'))
  }
  return { up: summarize(up), down: summarize(down) }
}

const hasCli = ensureComposeCli()
const config = benchConfigLoad()
const echo = await benchEcho(hasCli)
const load = await benchEchoLoad()
const cli = harnessCliRuns()
const measures: [Measure, string, string][] = [
  ['cold', 'cold up to the first echo (echo images removed, layer cache kept)', '—'],
  ['warm', 'warm up to the first echo', '≤ 0.7×'],
  ['second', 'second up, nothing changed', '≤ 0.3×'],
  ['down', 'down', '≤ 0.7×'],
]
const report = `# Benchmark results

Measured on ${new Date().toISOString().slice(0, 10)}, ${process.platform}/${process.arch}, Node ${process.version}, with \`npm run bench\`.
compose-harness runs through its API in one process (as a test suite uses it; \`up\` without waiting for
health, as \`docker-compose up -d\`); docker-compose is Debian's 1.29 CLI, one process a command.

| measure | compose-harness median (min–max) | docker-compose median (min–max) | ratio | target |
|---|---|---|---|---|
${measures.map(([m, what, target]) => row(what, echo.harness[m], echo.composeCli?.[m], target)).join('\n')}
${row('load and check a 500-service file (`config`)', config.harness, config.composeCli, '< 100 ms, < 1×')}

| the floor: the echo containers through the engine API directly | compose-harness warm up | ratio | target |
|---|---|---|---|
| ${cell(echo.floor)} | ${cell(echo.harness.warm)} | ${(echo.harness.warm.median / echo.floor.median).toFixed(2)}× | ≤ 1.3× |

| the harness's CLI, one process a command (Node start and TypeScript loading included) | median (min–max) |
|---|---|
| \`compose-harness up -d\` (no wait for the first echo) | ${cell(cli.up)} |
| \`compose-harness down\` | ${cell(cli.down)} |

| load: echo-server with ${load.clients} clients at once | messages sent | echoed back right | mismatched | errors | time |
|---|---|---|---|---|---|
| ${load.clients} client containers, ${load.sent / load.clients} messages each | ${load.sent} | ${load.echoed} | ${load.mismatched} | ${load.errors} | ${formatMs(load.ms)} |
`
console.log(report)
writeFileSync(new URL('results.md', import.meta.url), report)
