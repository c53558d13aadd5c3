// A rerun with reuse: the echo pair is brought up once with `reuse`, then each of several fresh
// processes (bench/reuse-rerun.ts) brings it up again and reports how long its `up` took until the
// project was ready. The project is removed at the end.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { Compose } from '../harness/index.js'
import { summarize, type Summary } from './stats.js'

const RUNS = 5
const PROJECT = 'bench-reuse'

export async function benchReuse(): Promise<Summary> {
  const compose = Compose.fromFiles(resolve('fixtures/echo/docker-compose.yml')).withProjectName(PROJECT)
  await compose.up({ reuse: true })
  try {
    const times = Array.from({ length: RUNS }, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/reuse-rerun.ts', PROJECT], {
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
