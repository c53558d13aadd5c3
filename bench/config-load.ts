// Loads a generated 500-service compose file through the harness and through Compose v2's `config`
// in the same run, and prints both times and their ratio. A figure, not a test: nothing is asserted.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { stringify } from 'yaml'
import { Compose } from '../harness/index.js'
import { summarize, type Summary } from './stats.js'

const SERVICES = 500

/** A file that looks like a big real one: chains of dependencies, ports, environment, healthchecks, volumes, networks. */
function generatedCompose(): string {
  const services: Record<string, unknown> = {}
  for (let i = 0; i < SERVICES; i++) {
    services[`svc-${i}`] = {
      image: `example/svc-${i % 20}:\${TAG:-1.${i % 7}}`,
      ports: [`${10000 + i}:8080`, `127.0.0.1:${20000 + i}:9090/udp`],
      expose: ['3000-3002'],
      environment: { INDEX: String(i), PEER: `svc-${(i + 1) % SERVICES}`, LOG_LEVEL: '${LOG_LEVEL:-info}' },
      labels: [`com.example.index=${i}`],
      ...(i > 0 && {
        depends_on: { [`svc-${i - 1}`]: { condition: i % 3 === 0 ? 'service_healthy' : 'service_started' } },
      }),
      healthcheck: {
        test: ['CMD-SHELL', 'wget -qO- http://localhost:8080/health'],
        interval: '10s',
        timeout: '2s',
        retries: 3,
      },
      volumes: [`data-${i % 10}:/data`, './config:/etc/app:ro'],
      networks: { [`net-${i % 5}`]: { aliases: [`alias-${i}`] } },
      command: `serve --port 8080 --name "svc ${i}"`,
    }
  }
  const networks = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`net-${i}`, {}]))
  const volumes = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`data-${i}`, {}]))
  return stringify({ services, networks, volumes }) // no top-level name: Compose v1 does not know it
}

function time(runs: number, fn: () => void): Summary {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    fn()
    ms.push(performance.now() - start)
  }
  return summarize(ms)
}

export interface ConfigLoadFigures {
  readonly harness: Summary
  readonly composeCli?: Summary
}

export function benchConfigLoad(reference: readonly string[] | undefined): ConfigLoadFigures {
  const dir = mkdtempSync(join(tmpdir(), 'bench-config-'))
  try {
    const file = join(dir, 'compose.yml')
    writeFileSync(file, generatedCompose())
    const compose = Compose.fromFiles(file).withEnvironment({})
    compose.load() // the first load also compiles the code paths
    const harness = time(20, () => compose.load())
    const composeCli = reference
      ? time(3, () =>
          execFileSync(reference[0]!, [...reference.slice(1), '-f', file, '-p', 'big', 'config', '-q'], {
            stdio: 'ignore',
          }),
        )
      : undefined
    return { harness, ...(composeCli && { composeCli }) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
