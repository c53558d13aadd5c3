// The targets of the benchmark, each with its figure from this run, whether it is met, and, where it
// is not, what holds it, in figures of the same run.
import type { BuildFigures } from './builds.js'
import type { ApiFigures } from './compose-environment.js'
import type { CliStep } from './cli-runs.js'
import type { EchoFigures } from './echo.js'
import type { ProfileStep } from './cli-profile.js'
import { measuredSizes, perService, SCALE_SIZES, type ScaleFigures } from './scale.js'
import type { SuiteFigures } from './suite.js'
import type { StackFigures } from './stack.js'
import { formatMs, type Summary } from './stats.js'

export interface TargetFigures {
  readonly cli: Record<CliStep, { harness: Summary; composeCli?: Summary }>
  readonly profile: readonly ProfileStep[]
  readonly peaks: { harness: Summary; composeCli?: Summary }
  readonly scaled: ScaleFigures
  readonly echo: EchoFigures
  readonly builds: BuildFigures
  readonly api: ApiFigures | undefined
  readonly suite: SuiteFigures | undefined
  /** A rerun's `up` of a reused echo pair, until ready. */
  readonly reuse: Summary
  /** The three-service stack (bench/stack/), where Compose v2 is installed. */
  readonly stack: StackFigures | undefined
}

interface Target {
  readonly target: string
  /** The measured value against its limit: a ratio, or milliseconds. */
  readonly value: number | undefined
  readonly limit: number
  readonly shown: (value: number) => string
  readonly holds: string
}

const times = (n: number) => `${n.toFixed(2)}×`
const over = (a: Summary | undefined, b: Summary | undefined) => (a && b ? a.median / b.median : undefined)

export function targetsTable(f: TargetFigures): string {
  const step = (i: number) => f.profile[i]!.total.median - (i ? f.profile[i - 1]!.total.median : 0)
  const node = step(0)
  const v2 = (s: CliStep) => f.cli[s].composeCli?.median ?? NaN
  const nodeShare = (s: CliStep) =>
    `Node's own start (${formatMs(node)}) is ${times(node / v2(s))} Compose v2's whole command (${formatMs(v2(s))})`
  // The sizes measured: a failure of the engine at one (moby/moby#43286) leaves the others' figures.
  const sizes = measuredSizes(f.scaled)
  const floorOverV2 = sizes.map((n) => times(over(f.scaled[n]?.floor?.up, f.scaled[n]?.composeCli?.up) ?? NaN))
  const slope = (c: 'api' | 'cli' | 'composeCli') => perService(f.scaled, c, 'up') ?? NaN
  const apiOverFloor = (s: 'up' | 'down') =>
    sizes.map((n) => times(over(f.scaled[n]?.api?.[s], f.scaled[n]?.floor?.[s]) ?? NaN))
  const ratios = sizes.flatMap((n) =>
    (['up', 'down'] as const).map((s) => over(f.scaled[n]?.api?.[s], f.scaled[n]?.composeCli?.[s]) ?? NaN),
  )
  const worstScale = ratios.length === 0 ? NaN : Math.max(...ratios)
  const unmeasured = SCALE_SIZES.filter((n) => !sizes.includes(n))
  const notAt = unmeasured.length > 0 ? ` (not measured at ${unmeasured.join(', ')} services: the engine failed)` : ''
  const targets: Target[] = [
    {
      target: 'CLI `--help` under 100 ms',
      value: f.cli.help.harness.median,
      limit: 100,
      shown: formatMs,
      holds: `Node's own start, ${formatMs(node)}, then ${formatMs(step(1))} to read the CLI's bundle`,
    },
    {
      target: 'CLI `config -q` ≤ 1.0× Compose v2',
      value: over(f.cli.config.harness, f.cli.config.composeCli),
      limit: 1,
      shown: times,
      holds: nodeShare('config'),
    },
    {
      target: 'CLI second `up -d`, nothing changed, ≤ 1.0×',
      value: over(f.cli.second.harness, f.cli.second.composeCli),
      limit: 1,
      shown: times,
      holds: `${nodeShare('second')}; loading the engine libraries takes ${formatMs(step(2))}, testcontainers' discovery ${formatMs(step(3))}, the command's own work ${formatMs(step(4))}`,
    },
    {
      target: 'CLI `up -d` to the first echo ≤ 0.8×',
      value: over(f.cli.up.harness, f.cli.up.composeCli),
      limit: 0.8,
      shown: times,
      holds: `the floor (the same containers straight through the engine API) is ${times(over(f.echo.floor, f.echo.composeCli?.warm) ?? NaN)} Compose v2's up to the first echo; the CLI adds Node's start and loading (${formatMs(f.profile[3]!.total.median)})`,
    },
    {
      target: 'CLI `down` ≤ 0.8×',
      value: over(f.cli.down.harness, f.cli.down.composeCli),
      limit: 0.8,
      shown: times,
      holds: `the API's down alone, the engine stopping and removing the two containers in order, is ${times(over(f.echo.harness.down, f.echo.composeCli?.down) ?? NaN)} Compose v2's; the CLI adds Node's start and loading (${formatMs(f.profile[3]!.total.median)})`,
    },
    {
      target: 'peak memory of `config -q` ≤ 1.2×',
      value: over(f.peaks.harness, f.peaks.composeCli),
      limit: 1.2,
      shown: times,
      holds: "Node's own heap",
    },
    {
      target: 'at 10, 30 and 100 services, `up -d` and `down` ≤ 0.8× (the API, the faster of the two)',
      value: worstScale,
      limit: 0.8,
      shown: (v) => `at worst ${times(v)}${notAt}`,
      holds: `the floor is ${floorOverV2.join(', ')} Compose v2's \`up -d\` at ${sizes.join(', ')} services, and the API's \`up -d\` ${apiOverFloor('up').join(', ')} the floor's: the engine's own work on each container is the cost. The API's \`down\` is ${apiOverFloor('down').join(', ')} the floor's: on Docker before 23 the harness stops a network's containers two at a time, as that engine loses endpoint counts otherwise (moby/moby#43286); the floor and Compose v2 stop them all at once`,
    },
    {
      target: "cost of each added service (`up -d`) no steeper than Compose v2's",
      value: slope('cli') / slope('composeCli'),
      limit: 1,
      shown: (v) => `CLI ${times(v)}, API ${times(slope('api') / slope('composeCli'))}`,
      holds: `the engine's own work: each added service costs the floor ${formatMs(perService(f.scaled, 'floor', 'up') ?? NaN)}, Compose v2 ${formatMs(slope('composeCli'))}`,
    },
    {
      target: 'API up to the first echo ≤ 0.5× DockerComposeEnvironment',
      value: over(f.api?.harness.up, f.api?.environment.up),
      limit: 0.5,
      shown: times,
      holds: `the floor (the same containers straight through the engine API, in their order) is ${times(over(f.echo.floor, f.api?.environment.up) ?? NaN)} DockerComposeEnvironment's up, and the API's up ${times(over(f.api?.harness.up, f.echo.floor) ?? NaN)} the floor: the engine starting the containers is the cost`,
    },
    {
      target: 'API down ≤ 0.35× DockerComposeEnvironment',
      value: over(f.api?.harness.down, f.api?.environment.down),
      limit: 0.35,
      shown: times,
      holds: `the floor (the two containers stopped and removed straight through the engine API, in their order, then the network) is ${times(over(f.echo.floorDown, f.api?.environment.down) ?? NaN)} DockerComposeEnvironment's down, and the API's down ${times(over(f.api?.harness.down, f.echo.floorDown) ?? NaN)} the floor: the engine's stops and its removal of the network are the cost`,
    },
    {
      target: `a vitest file of ${f.suite?.tests ?? 20} tests ≤ 0.5× the same with DockerComposeEnvironment`,
      value: over(f.suite?.harness, f.suite?.environment),
      limit: 0.5,
      shown: (v) =>
        `${times(v)} (with \`ahead: 2\`: ${times(over(f.suite?.harnessAhead, f.suite?.environment) ?? NaN)})`,
      holds: 'each test is an up and a down: the two rows above',
    },
    {
      target: `the same ${f.suite?.tests ?? 20} tests sharing one project (\`scope: 'file'\`) ≤ 0.1× the file with DockerComposeEnvironment`,
      value: over(f.suite?.harnessFile, f.suite?.environment),
      limit: 0.1,
      shown: times,
      holds: "vitest's own start and one up and down of the echo pair; each test's turn costs a look at the engine",
    },
    {
      target: 'a rerun with reuse: the echo pair ready in ≤ 0.1 s',
      value: f.reuse.median,
      limit: 100,
      shown: formatMs,
      holds: "the engine's answers: the containers listed, each image and container inspected",
    },
    ...stackTargets(f.stack),
    ...(['first', 'unchanged', 'removed'] as const).map((m): Target => ({
      target: `build: ${{ first: 'a first build', unchanged: 'a rebuild with nothing changed', removed: 'a rebuild after the image was removed' }[m]} ≤ 1.0× Compose v2 (the API; the CLI beside it)`,
      value: over(f.builds.api?.[m], f.builds.composeCli?.[m]),
      limit: 1,
      shown: (v) => `API ${times(v)}, CLI ${times(over(f.builds.cli?.[m], f.builds.composeCli?.[m]) ?? NaN)}`,
      holds: `the engine's BuildKit does the same steps for both; the session's transfer of the context and the build's own work are the rest`,
    })),
  ]
  const rows = targets.map(({ target, value, limit, shown, holds }) => {
    if (value === undefined || Number.isNaN(value)) return `| ${target} | not measured | — | no Compose v2 |`
    const met = value <= limit
    return `| ${target} | ${shown(value)} | ${met ? 'met' : '**not met**'} | ${met ? '' : holds} |`
  })
  return ['| target | this run | | what holds it |', '|---|---|---|---|', ...rows].join('\n')
}

/** The targets of issue 23 again, on the three-service stack. */
function stackTargets(stack: StackFigures | undefined): Target[] {
  const on = 'the three-service stack (PostgreSQL, Redis, an API)'
  const { harness: h, environment: e } = stack ?? { harness: undefined, environment: undefined }
  return [
    {
      target: `${on}: up until healthy and answering ≤ 0.5× DockerComposeEnvironment`,
      value: over(h?.up, e?.up),
      limit: 0.5,
      shown: times,
      holds: "PostgreSQL's own start and the healthchecks' interval: both tools wait for the same three health checks",
    },
    {
      target: `${on}: down ≤ 0.35× DockerComposeEnvironment`,
      value: over(h?.down, e?.down),
      limit: 0.35,
      shown: times,
      holds: 'the engine stopping and removing the containers and the volume',
    },
    {
      target: `${on}: a vitest file of 20 tests, a stack each, ≤ 0.5× DockerComposeEnvironment (the fixture's \`ahead: 2\`: the next tests' stacks brought up during the tests before)`,
      value: over(h?.perTestAhead, e?.perTest),
      limit: 0.5,
      shown: (v) => `${times(v)} (without \`ahead\`: ${times(over(h?.perTest, e?.perTest) ?? NaN)})`,
      holds:
        "each test waits for an up of the stack (the stack's first row); two come up at once, on the engine's two cores, while the previous test's stack is removed beside them",
    },
    {
      target: `${on}: the same 20 tests sharing one stack ≤ 0.1× DockerComposeEnvironment's 20 stacks`,
      value: over(h?.perFile, e?.perTest),
      limit: 0.1,
      shown: times,
      holds: "vitest's own start and one up and down of the stack",
    },
    {
      target: `${on}: a rerun with reuse ready in ≤ 0.1 s`,
      value: stack?.reuse.median,
      limit: 100,
      shown: formatMs,
      holds: "the engine's answers: the containers listed, each image and container inspected",
    },
  ]
}
