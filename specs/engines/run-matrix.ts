/**
 * The engine matrix (`npm run test:engines [-- SUITE…]`): Docker 26.1 and 28.5, the docker.io of
 * Debian's trixie and sid (and 20.10, bookworm's, when named: it is this machine's own engine, which
 * `npm test` runs on). Each is started in turn in a container of this machine's engine
 * (fixtures/remote-engine, its image built once and kept), given the base images the specs build
 * from, tested with vitest.engines.config.ts over TCP (28.5 over TLS, as GitLab CI's docker:dind
 * serves it), and removed; one at a time, as each run uses
 * both cores. Exits 1 if any engine's run failed or could not start.
 * `npm run test:engines -- here` runs the same specs against the engine DOCKER_HOST names, where CI
 * gives one engine a job (GitLab's docker:VERSION-dind services: an engine started inside one would
 * not be reachable from the job).
 */
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { startDockerInDocker } from '../containers/support/docker-in-docker.js'
import { MATRIX_ENGINES } from './engines.js'

const asked = process.argv.slice(2)
/** `here`: the matrix's specs against the engine this machine is set up for (a CI service per version, as GitLab's docker:VERSION-dind). */
const here = asked.includes('here')
const unknown = asked.filter((a) => a !== 'here' && !MATRIX_ENGINES.some((e) => e.suite === a))
if (unknown.length > 0 || (here && asked.length > 1)) {
  console.error(
    `test:engines: expected \`here\` alone, or engines among ${MATRIX_ENGINES.map((e) => e.suite).join(', ')}; got ${asked.join(' ')}`,
  )
  process.exit(2)
}
const chosen = MATRIX_ENGINES.filter((e) => (asked.length === 0 ? e.inMatrixRun : asked.includes(e.suite)))
const vitest = resolve('node_modules/vitest/vitest.mjs')

/** Runs the matrix's specs against the engine at `url` (over TLS with the client's files in `certs`); resolves with vitest's exit code. */
function runSpecs(url: string, certs?: string): Promise<number> {
  // Only DOCKER_HOST (and its TLS) names the engine: nothing of this machine's own engine settings goes along.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DOCKER_HOST: url,
    ...(certs && { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }),
  }
  for (const name of ['TESTCONTAINERS_HOST_OVERRIDE', 'DOCKER_CONTEXT', 'COMPOSE_HARNESS_PUBLISH_ADDRESS'])
    delete env[name]
  if (!certs) for (const name of ['DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[name]
  const child = spawn(process.execPath, [vitest, 'run', '--config', 'vitest.engines.config.ts'], {
    env,
    stdio: 'inherit',
  })
  return new Promise((done) => child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0))))
}

const results: { readonly engine: string; readonly outcome: string }[] = []
const outcomeOf = (code: number) => (code === 0 ? 'passed' : `failed (vitest exited ${code})`)
if (here) {
  const url = process.env.DOCKER_HOST
  if (!url?.startsWith('tcp://')) {
    console.error('test:engines here: DOCKER_HOST must name the engine over TCP (tcp://HOST:PORT)')
    process.exit(2)
  }
  const started = Date.now()
  results.push({
    engine: url,
    outcome: `${outcomeOf(await runSpecs(url, process.env.DOCKER_TLS_VERIFY ? process.env.DOCKER_CERT_PATH : undefined))} in ${Math.round((Date.now() - started) / 1000)} s`,
  })
}
for (const { suite, docker, tls } of here ? [] : chosen) {
  const engine = `Docker ${docker} (Debian ${suite}'s docker.io${tls ? ', over TLS' : ''})`
  console.log(`\ntest:engines: starting ${engine} in a container…`)
  const started = Date.now()
  let outcome: string
  try {
    // The repository is seen by the engine at its own path: the fixtures bind files of it.
    await using remote = await startDockerInDocker(suite, [process.cwd()], { tls })
    const { Version, ApiVersion } = await remote.docker.version()
    console.log(`test:engines: ${engine} is ${Version} (API ${ApiVersion}) at ${remote.url}`)
    outcome = outcomeOf(await runSpecs(remote.url, remote.certs))
    // An engine that went away in the middle says why in its own output: kept in the log of the run.
    if (!outcome.startsWith('passed'))
      console.log(`test:engines: ${engine}: ${await remote.diagnosis().catch((e: unknown) => String(e))}`)
  } catch (error) {
    outcome = `could not start: ${error instanceof Error ? error.message : String(error)}`
  }
  results.push({ engine, outcome: `${outcome} in ${Math.round((Date.now() - started) / 1000)} s` })
}

console.log('\ntest:engines:')
for (const r of results) console.log(`  ${r.engine}: ${r.outcome}`)
const failed = results.filter((r) => !r.outcome.startsWith('passed')).length
console.log(`engines: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
