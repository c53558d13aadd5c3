import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
// The engine client's type from testcontainers itself: engine.ts imports this file, and importing it back would make a cycle.
import type { ContainerRuntimeClient as Engine } from 'testcontainers'

/** What the harness needs to know of the engine's kind and age. */
export interface EngineIdentity {
  /** The engine's API version (`1.41` for Docker 20.10); '' where it does not say. */
  readonly apiVersion: string
  /** Whether the engine is Podman's Docker-compatible API. */
  readonly podman: boolean
}

const identities = new WeakMap<Engine, Promise<EngineIdentity>>()

/**
 * The engine's identity, asked once an engine for all who need it: read from the headers of its
 * `/_ping`, which answers at once, where `/version` makes Docker run `runc` and `docker-init` to
 * report their versions (6 to 25 ms on Docker 20.10 here). An engine whose ping names no API
 * version is asked its `/version`. A failed answer is not kept, so that the next asks again.
 */
export function engineIdentity(engine: Engine): Promise<EngineIdentity> {
  let answer = identities.get(engine)
  if (!answer) {
    answer = pingHeaders(engine).then((headers) => identityFromPing(headers) ?? identityFromVersion(engine))
    identities.set(engine, answer)
    answer.catch(() => identities.delete(engine))
  }
  return answer
}

/** The engine's API version (`1.41` for Docker 20.10); '' where it does not say or does not answer. */
export function engineApiVersion(engine: Engine): Promise<string> {
  return engineIdentity(engine).then(
    (v) => v.apiVersion,
    () => '',
  )
}

/**
 * Pure: the identity a ping's headers give, or undefined when they name no API version. Docker
 * and Podman both send `Api-Version`; only Podman sends `Libpod-Api-Version`.
 */
export function identityFromPing(headers: IncomingHttpHeaders): EngineIdentity | undefined {
  const apiVersion = headers['api-version']
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined
  return { apiVersion, podman: headers['libpod-api-version'] !== undefined }
}

async function identityFromVersion(engine: Engine): Promise<EngineIdentity> {
  const version = await engine.container.dockerode.version()
  return {
    apiVersion: version.ApiVersion ?? '',
    podman: (version.Components ?? []).some((c) => /podman/i.test(c.Name)),
  }
}

/** The headers of the engine's answer to `GET /_ping` (its body, `OK`, left unread). */
function pingHeaders(engine: Engine): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    engine.container.dockerode.modem.dial(
      { path: '/_ping', method: 'GET', isStream: true, statusCodes: { 200: true } },
      (error, result) => {
        const response = result as IncomingMessage | null | undefined
        if (error || !response) return reject(error ?? new Error('the engine sent no answer to /_ping'))
        response.resume()
        resolve(response.headers)
      },
    )
  })
}
