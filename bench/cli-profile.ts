// Where a CLI command's time goes, one process a step, each step doing what the one before did and
// one thing more: Node's own start, loading the CLI's bundle, loading the engine libraries (the
// bundle's testcontainers chunk), testcontainers' engine discovery, and the whole command. The
// differences of the medians are each part's cost.
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { summarize, type Summary } from './stats.js'
import { timedRun } from './timed-run.js'

const RUNS = 7

export interface ProfileStep {
  readonly what: string
  readonly total: Summary
}

const script = (code: string) => ['--input-type=module', '-e', code]

/** The steps of `second`, the echo project's second `up -d` (the project must be up already), each a cumulative total. */
export function profileCli(project: string): ProfileStep[] {
  const bundle = pathToFileURL(resolve('dist/cli.js')).href
  const chunk = readdirSync(resolve('dist/chunks')).find((f) => f.startsWith('engine-libraries-'))
  if (!chunk) throw new Error('no engine-libraries chunk in dist/chunks: run `npm run build-cli`')
  const libraries = pathToFileURL(resolve(join('dist/chunks', chunk))).href
  const file = ['-f', 'fixtures/echo/docker-compose.yml', '-p', project]
  const steps: [string, string[]][] = [
    ["Node's own start (`node -e ''`)", ['-e', '']],
    [
      '+ the CLI (bin/compose-harness.js, its freshness check, dist/cli.js): `--help`',
      ['bin/compose-harness.js', '--help'],
    ],
    [
      '+ the engine libraries (testcontainers, dockerode)',
      script(`await import('${bundle}'); await import('${libraries}')`),
    ],
    [
      "+ testcontainers' engine discovery and first contact",
      script(`await import('${bundle}'); await (await import('${libraries}')).getContainerRuntimeClient()`),
    ],
    ['+ the command itself: second `up -d`, nothing changed', ['bin/compose-harness.js', ...file, 'up', '-d']],
  ]
  const runs = steps.map(() => [] as number[])
  for (let i = 0; i < RUNS; i++) steps.forEach(([, args], s) => runs[s]!.push(timedRun(process.execPath, args)))
  return steps.map(([what], s) => ({ what, total: summarize(runs[s]!) }))
}
