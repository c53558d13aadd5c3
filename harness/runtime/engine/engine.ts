import type Docker from 'dockerode'
import type { Duplex } from 'node:stream'
import type { ContainerRuntimeClient } from 'testcontainers'
import { currentContextEndpoint } from './docker-context.js'
import { EngineTlsError, engineTlsVariables } from './engine-tls.js'
import { connectionLost, EngineGoneError, EngineUnreachableError } from './runtime-errors.js'
import { TIMED_OUT, within } from './timeout-race.js'
import { paceEndpoints } from './endpoint-turns.js'
import { asRehearsed, dryRunAnswer, DryRunRefusedError, dryRunState, type DryRunState } from './dry-run.js'

export type Engine = ContainerRuntimeClient

const PING_TIMEOUT_MS = 3000

/**
 * The engine client. testcontainers' own reaper (Ryuk) stays off: its image cannot be pulled on
 * air-gapped machines; the harness runs its own reaper (reaper.ts) for the projects it starts.
 * An engine named by DOCKER_HOST (or by the Docker context in use) must answer: testcontainers
 * would quietly fall back to the default socket, and the user would be testing against an engine
 * they did not choose.
 */
export async function connectEngine(): Promise<Engine> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'
  // Loaded here, not at start-up: about 0.6 s that `config` and `--help` never need.
  const { getContainerRuntimeClient, Dockerode } = await import('./engine-libraries.js')
  const context = process.env.DOCKER_HOST ? undefined : currentContextEndpoint()
  if (context) {
    if (context.skipTlsVerify)
      throw new EngineTlsError(
        `Docker context "${context.context}" does not check the engine's certificate (skip-tls-verify), which is not supported: give the context the engine's CA (docker context update ${context.context} --docker "host=${context.host},ca=FILE,cert=FILE,key=FILE")`,
      )
    // Testcontainers reads DOCKER_HOST, not Docker contexts: the context in use is given to it so.
    process.env.DOCKER_HOST = context.host
    if (context.certPath) Object.assign(process.env, { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: context.certPath })
  }
  // An engine over TCP with TLS (DOCKER_TLS_VERIFY, as the docker CLI reads it): its files checked, and
  // given as Testcontainers reads them (DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH, else the config directory's).
  if (process.env.DOCKER_HOST?.startsWith('tcp://')) Object.assign(process.env, engineTlsVariables({}))
  const chosen = process.env.DOCKER_HOST
  const refused = chosen ? await refusal(new Dockerode()) : undefined
  if (refused !== undefined)
    throw new EngineUnreachableError(
      `${chosen} (${context ? `Docker context ${context.context}` : 'DOCKER_HOST'}${refused && `: ${refused}`})`,
    )
  let client: Engine
  try {
    client = await getContainerRuntimeClient()
  } catch (error) {
    throw new EngineUnreachableError('DOCKER_HOST, ~/.testcontainers.properties or /var/run/docker.sock', error)
  }
  sayWhenGone(client)
  // Under a dry run nothing stops or starts: the rehearsal answers those requests before the turns.
  paceEndpoints(client)
  if (rehearsal) rehearse(client, rehearsal)
  return client
}

/** Set by `dryRunOnly()`: what this process's dry run has pretended to create. */
let rehearsal: DryRunState | undefined
const REHEARSED = Symbol('compose-harness: dry run')

/**
 * From now on this process's engine client changes nothing (the CLI's global `--dry-run`): every
 * request that would change the engine is answered as if done (see `dryRunAnswer`), and reads go
 * to the engine, so that a command plans and reports against what is really there. For a
 * one-command process: the engine client is the process's one testcontainers client.
 */
export function dryRunOnly(): void {
  rehearsal ??= dryRunState()
}

/** Whether `engine` only rehearses (`--dry-run`): what cannot be faked request by request (a build) is skipped whole. */
export function isDryRun(engine: Engine): boolean {
  return (engine.container.dockerode.modem as { [REHEARSED]?: true })[REHEARSED] === true
}

function rehearse(client: Engine, state: DryRunState): void {
  const modem = client.container.dockerode.modem as Docker['modem'] & { [REHEARSED]?: true }
  if (modem[REHEARSED]) return
  modem[REHEARSED] = true
  const dial = modem.dial.bind(modem)
  modem.dial = (request, callback) => {
    const answer = dryRunAnswer(request, state)
    if (!answer)
      return dial(request, (error, result) =>
        callback?.(error, error ? result : (asRehearsed(request, result, state) as typeof result)),
      )
    queueMicrotask(() =>
      'refused' in answer
        ? callback?.(new DryRunRefusedError(answer.refused), null)
        : callback?.(null, answer.value as object | null),
    )
  }
}

const WATCHED = Symbol('compose-harness: connection losses said')

/**
 * Every request to the engine goes through its modem's `dial`: there, the loss of the connection
 * (the engine restarted or stopped under a run) becomes an EngineGoneError naming the engine,
 * rather than a socket's own words ("socket hang up") reaching the user.
 */
function sayWhenGone(client: Engine): void {
  const modem = client.container.dockerode.modem as Docker['modem'] & { [WATCHED]?: true }
  if (modem[WATCHED]) return
  modem[WATCHED] = true
  const dial = modem.dial.bind(modem)
  const where = process.env.DOCKER_HOST ?? (modem as { socketPath?: string }).socketPath ?? 'the default socket'
  modem.dial = (request, callback) =>
    dial(request, (error, result) =>
      callback?.(
        error && connectionLost(error) ? new EngineGoneError(`${error.message} at ${where}`, error) : error,
        result,
      ),
    )
}

/** Why the engine does not answer its ping within the time (a TLS certificate refused, an HTTP answer from an HTTPS engine…); undefined when it answers. */
async function refusal(docker: Docker): Promise<string | undefined> {
  const answer = await within(
    docker.ping().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message.trim() : String(error)),
    ),
    PING_TIMEOUT_MS,
  )
  return answer === TIMED_OUT ? `no answer within ${PING_TIMEOUT_MS / 1000} s` : answer
}

/** A raw request to the engine's API through dockerode's modem, for what dockerode has no call for (or one that gets in the way). */
export type EngineRequest = Parameters<Docker['modem']['dial']>[0]

/** Sends `request` to the engine and resolves with what the modem gives back: a stream for a streamed or hijacked request. */
export function dialEngine<T>(engine: Engine, request: EngineRequest): Promise<T> {
  return new Promise((done, fail) =>
    engine.container.dockerode.modem.dial(request, (error: Error | null, result: unknown) =>
      error ? fail(error) : done(result as T),
    ),
  )
}

/**
 * The engine's connection upgraded to h2c by `request` (`/session`, `/grpc`: BuildKit's gRPC, HTTP/2
 * with no TLS of its own), as Node's HTTP/2 takes it. Over an engine's TLS (DOCKER_TLS_VERIFY), the
 * connection is a TLS socket that negotiated no protocol, which Node's HTTP/2 takes for HTTP/1.1 and
 * drops ("connection closed" in the build): it is said to carry HTTP/2, which the upgrade made it.
 */
export async function dialH2c(engine: Engine, request: EngineRequest): Promise<Duplex> {
  const socket = await dialEngine<Duplex & { encrypted?: boolean }>(engine, {
    ...request,
    hijack: true,
    headers: { ...request.headers, Upgrade: 'h2c' },
  })
  if (socket.encrypted) Object.defineProperty(socket, 'alpnProtocol', { value: 'h2', configurable: true })
  return socket
}
