// Finds the Docker engine the way testcontainers does (DOCKER_HOST, ~/.testcontainers.properties,
// the default socket) and, where none answers and this is a root Debian machine, installs and
// starts Debian's own engine.
import { spawn } from 'node:child_process'
import { homedir } from 'node:os'
import { $, fs, path, which } from 'zx'
import Docker from 'dockerode'
import { ProvisionError } from './provision-error.mjs'
import { aptInstall } from './apt.mjs'

const DEFAULT_SOCKET = '/var/run/docker.sock'
const DOCKERD_LOG = '/var/log/compose-harness-dockerd.log'
const START_TIMEOUT_MS = 60_000

/** @param {import('./progress.mjs').Say} say */
export async function ensureEngine(say) {
  const target = await configuredTarget()
  if (target) {
    const version = await ping(target.docker)
    if (version) {
      say(`engine ${version} answers at ${target.where}`)
      return target.docker
    }
    throw new ProvisionError(
      `no Docker engine answers at ${target.where}, which ${target.configured} names. ` +
        'Start that engine, or unset it to let the harness use a local one.',
    )
  }
  for (const socket of localSockets()) {
    const docker = new Docker({ socketPath: socket })
    const version = await ping(docker)
    if (version) {
      say(`engine ${version} answers at unix://${socket}`)
      return docker
    }
  }
  await startLocalEngine(say)
  return new Docker({ socketPath: DEFAULT_SOCKET })
}

/** An engine the user named, as testcontainers reads it: DOCKER_HOST, ~/.testcontainers.properties, or the Docker context in use (which the harness adds). */
async function configuredTarget() {
  if (process.env.DOCKER_HOST) {
    return { docker: new Docker(), where: process.env.DOCKER_HOST, configured: 'DOCKER_HOST' }
  }
  const host = testcontainersDockerHost()
  if (host) {
    return { docker: dockerAt(host), where: host, configured: '~/.testcontainers.properties (docker.host)' }
  }
  const { tsImport } = await import('tsx/esm/api')
  const { currentContextEndpoint } = await tsImport('../../harness/runtime/engine/docker-context.ts', import.meta.url)
  const context = currentContextEndpoint()
  if (context) {
    return { docker: dockerAt(context.host), where: context.host, configured: `the Docker context ${context.context}` }
  }
  return undefined
}

/** The sockets testcontainers tries when nothing is configured, in its order: the default one, then rootless ones. */
function localSockets() {
  const rootless = [
    process.env.XDG_RUNTIME_DIR && path.join(process.env.XDG_RUNTIME_DIR, 'docker.sock'),
    path.join(homedir(), '.docker', 'run', 'docker.sock'),
    path.join(homedir(), '.docker', 'desktop', 'docker.sock'),
    path.join('/run', 'user', String(process.getuid?.() ?? 0), 'docker.sock'),
  ]
  return [DEFAULT_SOCKET, ...rootless.filter((socket) => socket && fs.existsSync(socket))]
}

function testcontainersDockerHost() {
  const file = path.join(homedir(), '.testcontainers.properties')
  if (!fs.existsSync(file)) return undefined
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .find((/** @type {string} */ l) => /^\s*docker\.host\s*[=:]/.test(l))
  return line?.replace(/^\s*docker\.host\s*[=:]\s*/, '').trim() || undefined
}

/** @param {string} host */
function dockerAt(host) {
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) })
  if (host.startsWith('ssh://')) {
    const url = new URL(host)
    return new Docker({ protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username })
  }
  const url = new URL(host.replace(/^tcp:/, 'http:'))
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: 'http' })
}

/** The engine's version, or undefined when nothing answers within a few seconds. */
/** @param {import('dockerode')} docker */
async function ping(docker, timeoutMs = 3000) {
  const timeout = new Promise((resolve) => setTimeout(resolve, timeoutMs, undefined).unref())
  const answer = docker.version().then(
    (/** @type {{ Version: string }} */ v) => v.Version,
    () => undefined,
  )
  return Promise.race([answer, timeout])
}

/** @param {import('./progress.mjs').Say} say */
async function startLocalEngine(say) {
  if (process.getuid?.() !== 0 || !(await which('apt-get', { nothrow: true }))) {
    throw new ProvisionError(
      `no Docker engine answers at unix://${DEFAULT_SOCKET} and this is not a root Debian machine, ` +
        'so none can be installed here. Start a Docker engine, or point DOCKER_HOST at one.',
    )
  }
  if (!(await which('dockerd', { nothrow: true }))) {
    say("no Docker engine found: installing Debian's docker.io")
    await aptInstall(['docker.io'], say)
  }
  const pid = spawnDetachedDockerd()
  say(`started dockerd (pid ${pid}), log in ${DOCKERD_LOG}`)
  const docker = new Docker({ socketPath: DEFAULT_SOCKET })
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    const version = await ping(docker, 1000)
    if (version) {
      say(`engine ${version} answers at unix://${DEFAULT_SOCKET}`)
      return
    }
    if (!isAlive(pid)) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  const tail = (await $`tail -n 15 ${DOCKERD_LOG}`.nothrow().quiet()).stdout
  throw new ProvisionError(
    `dockerd did not answer within ${START_TIMEOUT_MS / 1000} s. Last lines of ${DOCKERD_LOG}:\n${tail}`,
  )
}

// setsid and a log file: the engine must not hold the caller's output open (CI waits on it).
function spawnDetachedDockerd() {
  const log = fs.openSync(DOCKERD_LOG, 'a')
  const child = spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] })
  child.unref()
  fs.closeSync(log)
  const pidfile = process.env.COMPOSE_HARNESS_DOCKERD_PIDFILE
  if (pidfile) fs.writeFileSync(pidfile, `${child.pid}\n`)
  return child.pid
}

/** @param {number | undefined} pid */
function isAlive(pid) {
  if (pid === undefined) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
