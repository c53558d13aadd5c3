import { connectEngine } from '../harness/runtime/engine/engine.js'
import { firstEcho, timed } from './echo.js'
import { summarize, type Summary } from './stats.js'
import { timedRun } from './timed-run.js'

/**
 * The two CLIs side by side, one process a command: `--help`, `config -q`, `up -d` (timed to the
 * client's first echo), a second `up -d`, then `down`, taking turns so that both meet the same
 * engine state. The harness's includes Node's start and loading its bundle.
 */
export async function cliRuns(
  reference: readonly string[] | undefined,
): Promise<Record<CliStep, { harness: Summary; composeCli?: Summary }>> {
  const docker = (await connectEngine()).container.dockerode
  const file = ['-f', 'fixtures/echo/docker-compose.yml']
  const tools = {
    harness: { project: 'bench-cli', command: [process.execPath, 'bin/compose-harness.js'] },
    ...(reference && { composeCli: { project: 'benchcli', command: reference } }),
  }
  const times = { harness: new Map<CliStep, number[]>(), composeCli: new Map<CliStep, number[]>() }
  const record = (tool: keyof typeof times, step: CliStep, ms: number) =>
    times[tool].set(step, [...(times[tool].get(step) ?? []), ms])
  for (let i = 0; i < 5; i++) {
    for (const [tool, { project, command }] of Object.entries(tools) as [
      keyof typeof times,
      (typeof tools)['harness'],
    ][]) {
      const run = (...args: string[]) => timedRun(command[0]!, [...command.slice(1), ...file, '-p', project, ...args])
      record(tool, 'help', run('--help'))
      record(tool, 'config', run('config', '-q'))
      record(
        tool,
        'up',
        await timed(async () => {
          run('up', '-d')
          await firstEcho(docker, `${project}-client-1`)
        }),
      )
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

export type CliStep = 'help' | 'config' | 'up' | 'second' | 'down'
export const CLI_STEPS: readonly [CliStep, string, string][] = [
  ['help', '`--help`', '< 100 ms'],
  ['config', '`config -q`', '≤ 1.0×'],
  ['up', '`up -d` to the first echo', '≤ 0.8×'],
  ['second', 'second `up -d`, nothing changed', '≤ 1.0×'],
  ['down', '`down`', '≤ 0.8×'],
]
