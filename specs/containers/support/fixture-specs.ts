import { spawnSync } from 'node:child_process'

/** What vitest's JSON reporter says of each test. */
export interface JsonReport {
  testResults: { assertionResults: { status: string; failureMessages: string[] }[] }[]
}

/** The command line (after Node) that runs the specs of fixtures/vitest whose names match `filter`, in a vitest of their own, reporting as JSON. */
export function fixtureSpecArgs(filter: string): string[] {
  return [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--config',
    'fixtures/vitest/vitest.config.ts',
    '--reporter=json',
    filter,
  ]
}

/** Runs those specs to the end (2 minutes at most) with `env` over this process's environment and `CI=true`. */
export function runFixtureSpecs(
  filter: string,
  env: Readonly<Record<string, string>> = {},
): { status: number | null; report: JsonReport; stderr: string } {
  const run = spawnSync(process.execPath, fixtureSpecArgs(filter), {
    encoding: 'utf8',
    env: { ...process.env, ...env, CI: 'true' },
    timeout: 120_000,
  })
  return {
    status: run.status,
    report: JSON.parse(run.stdout || '{"testResults":[]}') as JsonReport,
    stderr: run.stderr,
  }
}
