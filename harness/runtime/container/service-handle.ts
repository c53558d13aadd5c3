import type { ContainerInspectInfo } from 'dockerode'
import { splitImageReference } from '../images/image-reference.js'
import type { Engine } from '../engine/engine.js'
import { followLogLines, logLines, type LineListener, type LogWindow } from './container-logs.js'
import { copyFromContainer, copyToContainer } from './copy-files.js'
import { publishedHost } from '../engine/endpoint.js'
import { execStreaming, streamAttached, type ExecOptions } from './exec-stream.js'
import { inflict, type Fault } from './faults.js'
import {
  DEFAULT_READY_TIMEOUT_MS,
  waitForLogLines,
  waitForSpec,
  waitHealthyAgain,
  waitStarted,
  type WaitSpec,
} from './readiness.js'
import { HandleError, WaitTimeoutError } from '../engine/runtime-errors.js'
import { TIMED_OUT, within } from '../engine/timeout-race.js'

export interface WaitForLogOptions {
  /** How many matching lines to wait for (1). */
  readonly times?: number
  /** How long to wait before a WaitTimeoutError that shows the last lines (30 s). */
  readonly timeoutMs?: number
}

/** For a fault that brings the service back: whether to wait until it is ready again, and for how long. */
export interface ReadyOptions {
  /** Resolve only once the service is ready again: healthy by its healthcheck (without one, up past its start), then its `waitFor` (false). */
  readonly ready?: boolean
  /** How long that wait may take (the `timeoutMs` given to `up`, 120 s by default). */
  readonly timeoutMs?: number
}

/** What `up` judged this service ready by, besides its healthcheck, and who hears of the faults inflicted on it. */
export interface Readiness {
  readonly waitFor?: WaitSpec
  readonly timeoutMs: number
  /** Told of each fault before it is inflicted, which waits for what it returns (a shared stack puts back what its tests did). */
  readonly onFault?: (fault: Fault, id: string) => Promise<void> | void
}

/** What `commit()` makes the image with. */
export interface CommitOptions {
  readonly reference?: string
  readonly author?: string
  readonly message?: string
  readonly changes?: readonly string[]
  readonly pause?: boolean
}

/** One running container of a service: what a test needs to observe it from outside. */
export class ServiceHandle {
  constructor(
    private readonly engine: Engine,
    readonly service: string,
    readonly number: number,
    readonly id: string,
    readonly name: string,
    /** The engine's name of a project network, and this service's aliases on it, by its compose key. */
    private readonly network: (key: string) => { name: string; aliases: readonly string[] } = (key) => ({
      name: key,
      aliases: [],
    }),
    /** What `up` waited for on this service, for the faults that bring it back with `ready`. */
    private readonly readiness: Readiness = { timeoutMs: DEFAULT_READY_TIMEOUT_MS },
  ) {}

  // Faults, for specs that observe how the rest of the project copes. Each names the service in
  // its error (FaultError); stopping a stopped one and starting a running one do nothing, as the
  // engine's own commands do. Those that bring it back can wait until it is ready again.

  /** Stops the container (SIGTERM, then SIGKILL after `timeoutS`, its stop_grace_period by default); a stopped one stays so. */
  async stop(timeoutS?: number): Promise<void> {
    await this.inflict('stop', () => this.container.stop(timeoutS === undefined ? {} : { t: timeoutS }))
  }

  /** Starts the container again after `stop()` or `kill()` (a running one is left as it is). */
  async start(options: ReadyOptions = {}): Promise<void> {
    await this.inflict('start', () => this.container.start())
    await this.readyAgain(options)
  }

  /** Stops the container (as `stop()` does) and starts it again. */
  async restart(timeoutS?: number, options: ReadyOptions = {}): Promise<void> {
    await this.inflict('restart', () => this.container.restart(timeoutS === undefined ? {} : { t: timeoutS }))
    await this.readyAgain(options)
  }

  /** Sends a signal to the container's main process (SIGKILL by default); it must be running. */
  async kill(signal = 'SIGKILL'): Promise<void> {
    await this.inflict('kill', () => this.container.kill({ signal }))
  }

  /** Freezes every process of the container: it keeps its sockets but answers nothing. */
  async pause(): Promise<void> {
    await this.inflict('pause', () => this.container.pause())
  }

  /** Lets a paused container run again. */
  async unpause(options: ReadyOptions = {}): Promise<void> {
    await this.inflict('unpause', () => this.container.unpause())
    await this.readyAgain(options)
  }

  /** Takes the container off a project network (`default` unless named), as if its cable were pulled. */
  async disconnect(network = 'default'): Promise<void> {
    const { name } = this.network(network)
    await this.inflict('disconnect', () =>
      this.engine.container.dockerode.getNetwork(name).disconnect({ Container: this.id }),
    )
  }

  /** Puts it back on the network, under the same host names. */
  async connect(network = 'default', options: ReadyOptions = {}): Promise<void> {
    const { name, aliases } = this.network(network)
    await this.inflict('connect', () =>
      this.engine.container.dockerode
        .getNetwork(name)
        .connect({ Container: this.id, EndpointConfig: { Aliases: [...aliases] } }),
    )
    await this.readyAgain(options)
  }

  /**
   * With `ready`, resolves once the container is ready again as `up` judged it: healthy by its
   * healthcheck when it has one, else up for the startup grace; then the `waitFor` that `up` was
   * given for its service. Fails with a ServiceStartError saying why it never will.
   */
  private async readyAgain({ ready = false, timeoutMs = this.readiness.timeoutMs }: ReadyOptions): Promise<void> {
    if (!ready) return
    const info = await this.inspect()
    const target = { engine: this.engine, service: this.service, id: this.id, image: info.Config.Image, timeoutMs }
    if (info.State.Health) await waitHealthyAgain(target)
    else await waitStarted(target)
    if (this.readiness.waitFor) await waitForSpec(target, this.readiness.waitFor)
  }

  /** Notes the fault for whoever listens, then inflicts it (faults.ts). */
  private async inflict(fault: Fault, act: () => Promise<unknown>): Promise<void> {
    await this.readiness.onFault?.(fault, this.id)
    await inflict(fault, this, act)
  }

  private get container() {
    return this.engine.container.getById(this.id)
  }

  /** The engine's view of the container now (`docker inspect`): state, health, networks, mounts. */
  inspect(): Promise<ContainerInspectInfo> {
    return this.engine.container.getById(this.id).inspect()
  }

  /**
   * Runs a command in the container (no shell unless you ask for one), optionally with more
   * environment, as another user or in another directory, and gives its exit code and output.
   */
  async exec(
    command: readonly string[],
    { env, user, workingDir }: { env?: Readonly<Record<string, string>>; user?: string; workingDir?: string } = {},
  ): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const { exitCode, stdout, stderr } = await this.engine.container.exec(
      this.engine.container.getById(this.id),
      [...command],
      {
        ...(env && { env: { ...env } }),
        ...(user !== undefined && { user }),
        ...(workingDir !== undefined && { workingDir }),
      },
    )
    return { exitCode, stdout, stderr }
  }

  /**
   * Copies a file or directory out of the container, as `docker cp` does: into `destination` when
   * it is a directory here, else to that name; a stream gets the tar archive.
   */
  async copyFrom(source: string, destination: string | NodeJS.WritableStream): Promise<void> {
    await copyFromContainer(this.engine, this.id, source, destination)
  }

  /**
   * Copies a file or directory of this machine into the container, as `docker cp` does: into
   * `destination` when it ends with `/` or is a directory there, else to that name; a stream is a
   * tar archive unpacked there.
   */
  async copyTo(source: string | NodeJS.ReadableStream, destination: string): Promise<void> {
    await copyToContainer(this.engine, this.id, source, destination)
  }

  /**
   * A new image from the container's changes, as `docker commit` makes it: tagged `reference`
   * (`repo[:tag]`) when given, with Dockerfile instructions `changes`, paused meanwhile unless
   * `pause` is false. Its ID.
   */
  async commit({ reference, author, message, changes = [], pause = true }: CommitOptions = {}): Promise<string> {
    const { repository: repo, tag } =
      reference === undefined ? { repository: undefined, tag: undefined } : splitImageReference(reference)
    const made = (await this.engine.container.dockerode.getContainer(this.id).commit({
      ...(repo !== undefined && { repo }),
      ...(tag !== undefined && { tag }),
      ...(author !== undefined && { author }),
      ...(message !== undefined && { comment: message }),
      ...(changes.length > 0 && { changes: [...changes] }),
      pause,
    })) as { Id: string }
    return made.Id
  }

  /**
   * Attaches to the running container as `docker attach` does: its output from now on to `stdout`
   * and `stderr`, `stdin` (when given) into its input, until it stops; its exit code.
   */
  async attach(io: {
    readonly stdout: NodeJS.WritableStream
    readonly stderr: NodeJS.WritableStream
    readonly stdin?: NodeJS.ReadableStream
  }): Promise<number> {
    const container = this.engine.container.dockerode.getContainer(this.id)
    const withStdin = io.stdin !== undefined
    const tty = (await container.inspect()).Config.Tty
    const stream = await container.attach({
      stream: true,
      stdout: true,
      stderr: true,
      stdin: withStdin,
      hijack: withStdin,
    })
    if (tty) {
      stream.pipe(io.stdout, { end: false })
      if (io.stdin) io.stdin.pipe(stream)
      await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('close', resolve).on('error', reject))
    } else await streamAttached(this.engine, stream, io)
    const ended = (await container.wait()) as { StatusCode: number }
    return ended.StatusCode
  }

  /** The container's filesystem as a tar archive, as `docker export` writes it. */
  async export(): Promise<NodeJS.ReadableStream> {
    return this.engine.container.dockerode.getContainer(this.id).export()
  }

  /** The host port on which container port `port` is published (Compose's `ports`). */
  async mappedPort(port: number, protocol: 'tcp' | 'udp' = 'tcp'): Promise<number> {
    const binding = (await this.inspect()).NetworkSettings.Ports?.[`${port}/${protocol}`]?.[0]
    if (!binding) throw new HandleError(`${this.name} publishes no ${port}/${protocol}: add it to the service's ports`)
    return Number(binding.HostPort)
  }

  /**
   * The address at which this machine reaches the published ports: 127.0.0.1 with a local engine
   * (unless the file names another address), the engine's host with a remote one or Docker Desktop's.
   */
  async host(port?: number): Promise<string> {
    const ports = (await this.inspect()).NetworkSettings.Ports ?? {}
    const binding = (port === undefined ? Object.values(ports).flat() : (ports[`${port}/tcp`] ?? []))[0]
    return publishedHost(binding?.HostIp, this.engine.info.containerRuntime.host)
  }

  /**
   * Like `exec`, with the output streamed to `stdout` and `stderr` as it comes, and optionally an
   * input, environment, user and working directory; resolves with the exit code.
   */
  execStreaming(
    command: readonly string[],
    stdout: NodeJS.WritableStream,
    stderr: NodeJS.WritableStream,
    options?: ExecOptions,
  ): Promise<number> {
    return execStreaming(this.engine, this.id, command, stdout, stderr, options)
  }

  /** Lines the container has written so far (the last `tail` of them); each after the time it was written, with `timestamps`. */
  logs(
    tail?: number,
    { timestamps = false, ...window }: { readonly timestamps?: boolean } & LogWindow = {},
  ): Promise<string[]> {
    return logLines(this.engine, this.id, tail, timestamps, window)
  }

  /**
   * Calls `onLine` for every line (and the time the engine gives it) from the container's start
   * on (or only the last `tail` lines written so far, then new ones), `onEnd` when it stops;
   * returns a function that stops following.
   */
  follow(
    onLine: LineListener,
    onEnd?: () => void,
    { tail, ...window }: { tail?: number } & LogWindow = {},
  ): Promise<() => void> {
    return followLogLines(this.engine, this.id, onLine, onEnd, tail, window)
  }

  /**
   * Resolves with the matching lines, counted from the container's start and across its restarts,
   * once `times` lines match; rejects when it stops for good first, or after `timeoutMs`, with the last lines seen.
   */
  waitForLog(pattern: RegExp, { times = 1, timeoutMs = 30_000 }: WaitForLogOptions = {}): Promise<string[]> {
    return waitForLogLines(this.engine, this.id, this.name, pattern, times, timeoutMs)
  }

  /** Waits for the container to stop and gives its exit code. */
  async waitForExit({ timeoutMs = 30_000 } = {}): Promise<number> {
    const result = await within(
      this.engine.container.getById(this.id).wait() as Promise<{ StatusCode: number }>,
      timeoutMs,
    )
    if (result === TIMED_OUT) throw new WaitTimeoutError(`${this.name} was still running after ${timeoutMs} ms`)
    return result.StatusCode
  }
}
