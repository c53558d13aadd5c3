import { spawnSync } from 'node:child_process'

/** Runs a command to its end and gives its wall time in milliseconds; a failure throws with what it wrote. */
export function timedRun(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now()
  const run = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env })
  if (run.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited with ${run.status}:\n${run.stdout}${run.stderr}`)
  return performance.now() - start
}
