import { createHash, randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StartedTestContainer } from 'testcontainers'
import { buildImage, imageExists } from './build-images.js'
import type { Engine } from './engine.js'
import { publishedHost } from './endpoint.js'
import { LABEL, SESSION_LABEL } from './labels.js'
import { PACKAGE_ROOT } from './package-root.js'
import { defaultPublishAddress, onThisMachine } from './publish-address.js'
import { ReaperError } from './runtime-errors.js'

/** Built from the project's own Dockerfile.reaper: crash-safe clean-up that needs no registry. */
export const REAPER_LABEL = 'com.compose-harness.reaper'

/** The reaper's image, tagged with a digest of its sources: an engine that has an older one builds this one. */
export const REAPER_IMAGE = `compose-harness-reaper:${createHash('sha256')
  .update(readFileSync(join(PACKAGE_ROOT, 'Dockerfile.reaper')))
  .update(readFileSync(join(PACKAGE_ROOT, 'reaper', 'reaper.py')))
  .digest('hex')
  .slice(0, 12)}`

/**
 * The connection to a reaper that speaks Ryuk's protocol. While this process lives the connection
 * stays open; once it is gone (exit, crash, SIGKILL) the reaper waits a few seconds, then removes
 * every container, network and volume of the projects registered here.
 */
export class Reaper {
  /**
   * @param session labels what this process creates, so that its reaper removes only that, never
   * a later run's containers; the reaper's own container carries it too (reaper-hand-over.ts).
   */
  constructor(
    private readonly socket: Socket,
    readonly session: string,
  ) {}

  /**
   * This process's own reaper, started on first use (its image built if missing). Each process
   * has its own, so that one crashing is cleaned up while others still run.
   */
  static connect(engine: Engine): Promise<Reaper> {
    connection ??= open(engine).catch((error: unknown) => {
      connection = undefined
      throw error
    })
    return connection
  }

  /**
   * From now on, when this process ends (normally or not), what it created for `project` goes:
   * the filter is the project's label and this process's session label, both.
   */
  async register(project: string, session = this.session): Promise<void> {
    await sendLine(this.socket, reaperFilter(project, session))
  }

  /** Takes `register` back: this process's end no longer removes anything of `project` (a run that keeps it, as Compose does). */
  async release(project: string): Promise<void> {
    await sendLine(this.socket, `-${reaperFilter(project, this.session)}`)
  }
}

/** What a reaper removes of `project` once `session`'s process is gone: the project's label and the session's, both. */
export function reaperFilter(project: string, session: string): string {
  return `label=${LABEL.project}=${encodeURIComponent(project)}&label=${SESSION_LABEL}=${session}`
}

const ACK_TIMEOUT_MS = 10_000

/** One line of the reaper's protocol, resolved when the reaper acknowledges it (bounded). */
export function sendLine(socket: Socket, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer)
      socket.off('data', onData).off('close', onClose)
      socket.unref()
    }
    const onData = (data: Buffer): void => {
      if (!data.toString().includes('ACK')) return
      done()
      resolve()
    }
    const onClose = (): void => {
      done()
      reject(new ReaperError('the reaper closed its connection without acknowledging the line sent'))
    }
    // Something else listening where the reaper was expected never answers: say so rather than hang.
    const timer = setTimeout(() => {
      done()
      reject(
        new ReaperError(
          `no acknowledgement from the reaper at ${socket.remoteAddress}:${socket.remotePort} within ${ACK_TIMEOUT_MS / 1000} s: is something else listening there?`,
        ),
      )
    }, ACK_TIMEOUT_MS)
    // Held while the answer is awaited: an unreferenced socket alone would let the process exit.
    socket.ref()
    socket.on('data', onData).on('close', onClose)
    socket.write(`${line}\n`, (error) => error && reject(error))
  })
}

let connection: Promise<Reaper> | undefined

/** Whether crash-safe clean-up is on (`COMPOSE_HARNESS_REAPER=off` turns it off). */
export function reaperEnabled(): boolean {
  return process.env.COMPOSE_HARNESS_REAPER !== 'off'
}

/** Builds the reaper image when this engine does not have it; the global setup of a test run calls it once. */
export async function ensureReaperImage(engine: Engine): Promise<void> {
  if (await imageExists(engine, REAPER_IMAGE)) return
  await buildImage(engine, 'reaper', REAPER_IMAGE, {
    context: PACKAGE_ROOT,
    dockerfile: 'Dockerfile.reaper',
    args: {},
    options: {},
    settings: {},
  })
}

async function open(engine: Engine): Promise<Reaper> {
  await ensureReaperImage(engine)
  const session = randomBytes(8).toString('hex')
  const engineHost = engine.info.containerRuntime.host
  const address = defaultPublishAddress(await onThisMachine(engineHost))
  const port = (await startReaperContainer(engine, session, address)).getMappedPort(8080)
  const host = publishedHost(address, engineHost)
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s)).once('error', (error) =>
      reject(new ReaperError(`this process cannot reach its reaper at ${host}:${port}`, { cause: error })),
    )
  })
  // The open connection is the signal of life; it must not keep this process alive by itself.
  socket.unref()
  socket.on('error', () => {})
  return new Reaper(socket, session)
}

/**
 * Starts the reaper's own container, removed when it exits. It is given the socket of the engine it
 * runs on, wherever that engine is; its port is published where the project's ports are
 * (publish-address.ts): loopback with a local engine.
 */
async function startReaperContainer(engine: Engine, session: string, address: string): Promise<StartedTestContainer> {
  // Loaded on first use, as everywhere in the runtime: commands that never reach the engine do not pay for it.
  const { GenericContainer, Wait } = await import('./engine-libraries.js')
  class ReaperContainer extends GenericContainer {
    constructor() {
      super(REAPER_IMAGE)
      const timeout = process.env.TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT
      this.withName(`compose-harness-reaper-${process.pid}-${randomBytes(3).toString('hex')}`)
        .withLabels({ [REAPER_LABEL]: 'true', [`${REAPER_LABEL}.pid`]: String(process.pid), [SESSION_LABEL]: session })
        .withExposedPorts(8080)
        .withBindMounts([{ source: engine.info.containerRuntime.remoteSocketPath, target: '/var/run/docker.sock' }])
        .withWaitStrategy(Wait.forLogMessage(/Started/))
        .withAutoCleanup(false)
      if (timeout) this.withEnvironment({ RYUK_RECONNECTION_TIMEOUT: timeout })
      this.hostConfig.AutoRemove = true
      this.hostConfig.PortBindings = { '8080/tcp': [{ HostIp: address, HostPort: '' }] }
    }
  }
  return new ReaperContainer().start()
}
