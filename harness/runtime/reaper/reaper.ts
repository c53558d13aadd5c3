import { createHash, randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ContainerInfo } from 'dockerode'
import type { StartedTestContainer } from 'testcontainers'
import { buildImage } from '../images/build-images.js'
import { imageExists } from '../images/image-lookup.js'
import { isDryRun, type Engine } from '../engine/engine.js'
import { publishedHost } from '../engine/endpoint.js'
import { LABEL, SESSION_LABEL } from '../engine/labels.js'
import { PACKAGE_ROOT } from '../engine/package-root.js'
import { defaultPublishAddress, onThisMachine } from '../engine/publish-address.js'
import { EngineGoneError, ReaperError } from '../engine/runtime-errors.js'

/** Built from the project's own Dockerfile.reaper: crash-safe clean-up that needs no registry. */
export const REAPER_LABEL = 'com.compose-harness.reaper'

/** The reaper's image, tagged with a digest of its sources: an engine that has an older one builds this one. */
export const REAPER_IMAGE = `compose-harness-reaper:${createHash('sha256')
  .update(readFileSync(join(PACKAGE_ROOT, 'Dockerfile.reaper')))
  .update(readFileSync(join(PACKAGE_ROOT, 'reaper', 'reaper.py')))
  .digest('hex')
  .slice(0, 12)}`

/**
 * The connection to this process's reaper. While this process lives the connection stays open;
 * once it is gone (exit, crash, SIGKILL) the reaper waits a few seconds, then removes every
 * container, network and volume of the projects registered here. Each line starts with the secret
 * minted when the reaper was started: the reaper refuses any other (reaper/reaper.py).
 */
export class Reaper {
  /** Why the connection is gone while this process still lives, once it is. */
  private lost?: string

  /** Why the connection to the reaper was lost (the engine went away, or the reaper was removed); undefined while it holds. */
  get lostBecause(): string | undefined {
    return this.lost
  }

  /**
   * @param session labels what this process creates, so that its reaper removes only that, never
   * a later run's containers; the reaper's own container carries it too (reaper-hand-over.ts).
   */
  constructor(
    private readonly socket: Socket,
    readonly session: string,
    private readonly secret: string,
  ) {
    socket.once('close', () => {
      this.lost = "the connection to this process's reaper was lost: the engine went away or the reaper was removed"
    })
  }

  /**
   * This process's own reaper, started on first use (its image built if missing). Each process
   * has its own, so that one crashing is cleaned up while others still run. One whose connection
   * was lost (the engine restarted) is replaced by a new one: the old one, started again by the
   * engine, removes what was registered with it.
   */
  static connect(engine: Engine): Promise<Reaper> {
    const opening = (connection ??= open(engine).catch((error: unknown) => {
      connection = undefined
      throw error
    }))
    return opening.then((reaper) => {
      if (reaper.lost === undefined) return reaper
      if (connection === opening) connection = undefined
      return Reaper.connect(engine)
    })
  }

  /**
   * From now on, when this process ends (normally or not), what it created for `project` goes:
   * the filter is the project's label and this process's session label, both.
   */
  async register(project: string): Promise<void> {
    await this.send(reaperFilter(project, this.session))
  }

  /** Takes on what `session`, an earlier run's, left of `project` (reaper-hand-over.ts): removed when this process ends. */
  async adopt(project: string, session: string): Promise<void> {
    await this.send(`adopt ${reaperFilter(project, session)}`)
  }

  /** Takes `register` back: this process's end no longer removes anything of `project` (a run that keeps it, as Compose does). */
  async release(project: string): Promise<void> {
    await this.send(`-${reaperFilter(project, this.session)}`)
  }

  /** One line; refused with EngineGoneError once the connection is lost, since no line can be heard any more. */
  private async send(line: string): Promise<void> {
    if (this.lost !== undefined) throw new EngineGoneError(this.lost)
    try {
      await sendLine(this.socket, `${this.secret} ${line}`)
    } catch (error) {
      // The connection's own `close` listener was added first: a line lost with it says so.
      if (this.lost !== undefined) throw new EngineGoneError(this.lost, error)
      throw error
    }
  }
}

/** What a reaper removes of `project` once `session`'s process is gone: the project's label and the session's, both. */
export function reaperFilter(project: string, session: string): string {
  return `label=${LABEL.project}=${encodeURIComponent(project)}&label=${SESSION_LABEL}=${session}`
}

const ACK_TIMEOUT_MS = 10_000

/** One line of the reaper's protocol, resolved when the reaper acknowledges it, rejected with its reason when it refuses it (bounded). */
export function sendLine(socket: Socket, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let answer = ''
    const done = (): void => {
      clearTimeout(timer)
      socket.off('data', onData).off('close', onClose)
      socket.unref()
    }
    const onData = (data: Buffer): void => {
      answer += data.toString()
      const end = answer.indexOf('\n')
      if (end < 0) return
      done()
      const first = answer.slice(0, end)
      if (first === 'ACK') resolve()
      else reject(new ReaperError(`the reaper refused the line sent: ${first.replace(/^ERR /, '')}`))
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

/** Whether crash-safe clean-up is on (`COMPOSE_HARNESS_REAPER=off` turns it off, and a dry run has nothing to clean). */
export function reaperEnabled(engine: Engine): boolean {
  // A dry run creates nothing: there is nothing to reap, and no reaper is started.
  return process.env.COMPOSE_HARNESS_REAPER !== 'off' && !isDryRun(engine)
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

/** How long a reaper may stay created and not started, or exited, before another run's start removes it. */
const STALE_AFTER_S = 30

/**
 * The reapers that nothing else will remove: created and never started (their process was killed
 * between the two calls) or exited (stopped by hand), for longer than STALE_AFTER_S. A running
 * reaper removes itself; these cannot.
 */
export function staleReapers(found: readonly ContainerInfo[], nowS: number): string[] {
  return found
    .filter((c) => (c.State === 'created' || c.State === 'exited') && nowS - c.Created > STALE_AFTER_S)
    .map((c) => c.Id)
}

async function open(engine: Engine): Promise<Reaper> {
  await ensureReaperImage(engine)
  const docker = engine.container.dockerode
  const reapers = await docker.listContainers({ all: true, filters: { label: [REAPER_LABEL] } })
  for (const id of staleReapers(reapers, Date.now() / 1000))
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch(() => {})
  const session = randomBytes(8).toString('hex')
  const secret = randomBytes(16).toString('hex')
  const engineHost = engine.info.containerRuntime.host
  const address = defaultPublishAddress(await onThisMachine(engineHost))
  const port = (await startReaperContainer(engine, session, secret, address)).getMappedPort(8080)
  const host = publishedHost(address, engineHost)
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s)).once('error', (error) =>
      reject(new ReaperError(`this process cannot reach its reaper at ${host}:${port}`, { cause: error })),
    )
  })
  // The open connection is the signal of life; it must not keep this process alive by itself.
  socket.unref()
  socket.on('error', () => {})
  return new Reaper(socket, session, secret)
}

/**
 * Starts the reaper's own container, which removes itself once its work is done. It is given the
 * socket of the engine it runs on, wherever that engine is; its port is published where the
 * project's ports are (publish-address.ts): loopback with a local engine. Its restart policy brings
 * it back after an engine restart, with the filters it had (kept in its own file system).
 */
async function startReaperContainer(
  engine: Engine,
  session: string,
  secret: string,
  address: string,
): Promise<StartedTestContainer> {
  // Loaded on first use, as everywhere in the runtime: commands that never reach the engine do not pay for it.
  const { GenericContainer, Wait } = await import('../engine/engine-libraries.js')
  class ReaperContainer extends GenericContainer {
    constructor() {
      super(REAPER_IMAGE)
      const timeout = process.env.TESTCONTAINERS_RYUK_RECONNECTION_TIMEOUT
      const name = `compose-harness-reaper-${process.pid}-${randomBytes(3).toString('hex')}`
      this.withName(name)
        .withEnvironment({ REAPER_SECRET: secret, REAPER_SESSION: session, REAPER_NAME: name })
        .withLabels({ [REAPER_LABEL]: 'true', [`${REAPER_LABEL}.pid`]: String(process.pid), [SESSION_LABEL]: session })
        .withExposedPorts(8080)
        .withBindMounts([{ source: engine.info.containerRuntime.remoteSocketPath, target: '/var/run/docker.sock' }])
        .withWaitStrategy(Wait.forLogMessage(/Started/))
        .withAutoCleanup(false)
      if (timeout) this.withEnvironment({ RYUK_RECONNECTION_TIMEOUT: timeout })
      this.hostConfig.RestartPolicy = { Name: 'unless-stopped', MaximumRetryCount: 0 }
      this.hostConfig.PortBindings = { '8080/tcp': [{ HostIp: address, HostPort: '' }] }
    }
  }
  return new ReaperContainer().start()
}
