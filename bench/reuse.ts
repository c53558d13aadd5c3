// A rerun with reuse: a project is brought up once with `reuse`, then each of several fresh
// processes (bench/reuse-rerun.ts) brings it up again and reports how long its `up` took until the
// project was ready. The project is removed at the end.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { Compose } from '../harness/index.js'
import { summarize, type Summary } from './stats.js'

const RUNS = 5

/** The echo pair's rerun. */
export function benchReuse(): Promise<Summary> {
  return rerunWithReuse(resolve('fixtures/echo/docker-compose.yml'), 'bench-reuse')
}

/** `file`'s project brought up with reuse, then brought up again by each of several fresh processes. */
export async function rerunWithReuse(file: string, project: string): Promise<Summary> {
  const compose = Compose.fromFiles(file).withProjectName(project)
  await compose.up({ reuse: true })
  try {
    const times = Array.from({ length: RUNS }, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/reuse-rerun.ts', file, project], {
        encoding: 'utf8',
      })
      if (run.status !== 0) throw new Error(`bench/reuse-rerun.ts exited with ${run.status}:\n${run.stderr}`)
      return Number(run.stdout.trim())
    })
    return summarize(times)
  } finally {
    await compose.down({ volumes: true, timeoutS: 0 })
  }
}
