import { randomUUID } from 'node:crypto'
import type { ClientHttp2Session } from 'node:http2'
import type { Duplex } from 'node:stream'
import type { BuildSpec } from '../../model/project/types.js'
import { dialEngine, type Engine } from '../engine/engine.js'
import { lengthDelimited } from './protobuf-wire.js'
import { cacheFields } from './local-cache.js'

/**
 * BuildKit's control API, as the engine serves it at `/grpc` (gRPC over HTTP/2 on the hijacked
 * connection, this process the client), and as Compose v2 builds through it (buildx's `docker`
 * driver): a `Solve` with the Dockerfile frontend's attributes, and the `Status` of that solve.
 * It carries what the engine's `/build` API has no parameter for: named contexts
 * (`additional_contexts`), entitlements and cache exports.
 */
export interface SolveRequest {
  readonly session: string
  readonly frontendAttrs: Readonly<Record<string, string>>
  /** The tags the engine's image store gives the result (the `moby` exporter's `name`). */
  readonly tags: readonly string[]
  readonly entitlements: readonly string[]
  /** Cache exports (`CacheOptionsEntry` types): `inline`, the one the engine's own image store takes. */
  readonly cacheExports: readonly string[]
  /** Local caches to import (their directories, the session's `local:DIR` stores, and manifests). */
  readonly localCaches?: readonly LocalCache[]
}

/** A local cache to import, resolved: its directory and its manifest's digest. */
export interface LocalCache {
  readonly src: string
  readonly digest: string
}

/** Compose 2.40's words when a build names several platforms and the engine's own builder would build it. */
export const MULTI_PLATFORM_REFUSAL =
  'Multi-platform build is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/build-multi-platform/'

/**
 * Pure: the builds among `builds` that the engine's own builder cannot do, as it builds one image
 * for one platform: those that name several `platforms`. Compose v2 refuses them before it builds
 * anything (`MULTI_PLATFORM_REFUSAL`), and only when it would build them: an image already there is
 * run as it is.
 */
export function multiPlatformBuilds<T extends { readonly build?: BuildSpec }>(builds: readonly T[]): T[] {
  return builds.filter((s) => (s.build?.settings.platforms?.length ?? 0) > 1)
}

/**
 * Pure: the attestations buildx asks for by default where its builder keeps them, as Compose v2's
 * builds on an engine with containerd's image store get them: a minimal provenance, unless
 * BUILDX_NO_DEFAULT_ATTESTATIONS is true.
 */
export function defaultAttestations(env: NodeJS.ProcessEnv): Record<string, string> {
  return /^(1|t|true)$/i.test(env.BUILDX_NO_DEFAULT_ATTESTATIONS ?? '')
    ? {}
    : { 'attest:provenance': 'mode=min,inline-only=true' }
}

/** Why a build cannot be had through the control API on this engine, as Compose v2 is told. */
export class ControlRefusal extends Error {}

/**
 * Pure: a build's `cache_to` as cache exports. The engine's own builder (buildx's `docker` driver,
 * which Compose v2 uses) exports only an inline cache; another kind is refused with v2's reason.
 * On an engine with containerd's image store (`containerdStore`) v2 exports others too, which the
 * harness does not yet (divergence `cache-to-inline-only`): refused, saying so.
 */
export function cacheExports(build: BuildSpec, containerdStore = false): string[] {
  const written = Array.isArray(build.options.cache_to) ? build.options.cache_to.map(String) : []
  return written.map((entry) => {
    const type = cacheFields(entry)?.type ?? 'registry'
    if (type !== 'inline')
      throw new ControlRefusal(
        containerdStore
          ? `cache_to "${entry}": compose-harness does not export a ${type} cache yet (Compose v2 does on this engine, whose images are in containerd's image store); \`type=inline\` it does`
          : `cache_to "${entry}": a ${type} cache export is not supported by the engine's own builder (as Compose v2 is told: switch to a builder of another driver, or turn on the containerd image store); \`type=inline\` is`,
      )
    return type
  })
}

/**
 * Pure: a build's `cache_from` as the images a build may take its cache from: a reference, or
 * `type=registry,ref=REFERENCE`. A local directory (`type=local,src=DIR`) is no image: it is left to
 * `localCacheImports` (local-cache.ts). Another kind (a CI service's cache, a bucket) is refused,
 * with the way round.
 */
export function cacheImports(cacheFrom: readonly string[] = []): string[] {
  return cacheFrom.flatMap((entry) => {
    const fields = cacheFields(entry)
    if (!fields) return [entry]
    if (fields.type === 'local' && fields.src) return []
    if ((fields.type ?? 'registry') === 'registry' && fields.ref) return [fields.ref]
    throw new ControlRefusal(
      `cache_from "${entry}": compose-harness takes a cache from an image (\`REFERENCE\`, or \`type=registry,ref=REFERENCE\`) or a local directory (\`type=local,src=DIR\`); for a ${fields.type ?? 'registry'} cache, build the image with \`docker compose build\` and give its name in \`image\``,
    )
  })
}

/**
 * Pure: the Dockerfile frontend's attributes for a build, as the engine's `/build` API makes them
 * of its parameters and as buildx makes them of Compose v2's build options, with the named contexts.
 */
export function frontendAttrs(
  build: BuildSpec,
  dockerfile: string,
  contexts: Readonly<Record<string, string>>,
  localCaches: readonly LocalCache[] = [],
): Record<string, string> {
  const s = build.settings
  const attrs: Record<string, string> = { filename: dockerfile, ...contexts }
  // As buildx asks: a frontend without named contexts fails rather than read NAME as an image.
  if (Object.keys(contexts).length > 0) attrs['frontend.caps'] = 'moby.buildkit.frontend.contexts+forward'
  if (build.target) attrs.target = build.target
  for (const [k, v] of Object.entries(build.args)) if (v !== undefined) attrs[`build-arg:${k}`] = v
  for (const [k, v] of Object.entries(s.labels ?? {})) attrs[`label:${k}`] = v
  if (s.network && s.network !== 'default') attrs['force-network-mode'] = s.network
  if (s.extraHosts)
    attrs['add-hosts'] = Object.entries(s.extraHosts)
      .flatMap(([host, ips]) => ips.map((ip) => `${host}=${ip}`))
      .join(',')
  if (s.shmSizeBytes !== undefined) attrs['shm-size'] = String(s.shmSizeBytes)
  if (s.ulimits)
    attrs.ulimit = Object.entries(s.ulimits)
      .map(([name, { soft, hard }]) => `${name}=${soft}:${hard}`)
      .join(',')
  if (s.noCache) attrs['no-cache'] = ''
  if (s.pull) attrs['image-resolve-mode'] = 'pull'
  // Several only through the control API, on an engine with containerd's image store (buildImages refuses them elsewhere).
  if (s.platforms?.length) attrs.platform = s.platforms.join(',')
  const imports = cacheImportEntries(s.cacheFrom, localCaches)
  if (imports.length > 0)
    attrs['cache-imports'] = JSON.stringify(imports.map(({ type, attrs }) => ({ Type: type, Attrs: attrs })))
  return attrs
}

/** Pure: the caches a build imports, as BuildKit's `CacheOptionsEntry`s: images by reference, local caches by directory and manifest. */
export function cacheImportEntries(
  cacheFrom: readonly string[] | undefined,
  localCaches: readonly LocalCache[],
): { type: string; attrs: Record<string, string> }[] {
  return [
    ...cacheImports(cacheFrom).map((ref) => ({ type: 'registry', attrs: { ref } })),
    ...localCaches.map(({ src, digest }) => ({ type: 'local', attrs: { src, digest } })),
  ]
}

/** Pure: `SolveRequest` as the wire has it, with the `moby` exporter as the engine's own `docker` driver asks for it. */
export function encodeSolveRequest(ref: string, r: SolveRequest): Buffer {
  const text = (n: number, value: string) => lengthDelimited(n, Buffer.from(value))
  const map = (n: number, entries: Readonly<Record<string, string>>) =>
    Object.entries(entries).map(([k, v]) => lengthDelimited(n, Buffer.concat([text(1, k), text(2, v)])))
  return Buffer.concat([
    text(1, ref),
    // ExporterDeprecated and its attributes: what every BuildKit since 20.10's reads.
    text(3, 'moby'),
    ...map(4, { name: r.tags.join(',') }),
    text(5, r.session),
    text(6, 'dockerfile.v0'),
    ...map(7, r.frontendAttrs),
    ...(r.cacheExports.length > 0 || r.localCaches?.length
      ? [
          lengthDelimited(
            8,
            Buffer.concat([
              ...r.cacheExports.map((type) => lengthDelimited(4, text(1, type))),
              ...(r.localCaches ?? []).map(({ src, digest }) =>
                lengthDelimited(5, Buffer.concat([text(1, 'local'), ...map(2, { src, digest })])),
              ),
            ]),
          ),
        ]
      : []),
    ...r.entitlements.map((e) => text(9, e)),
  ])
}

/** A gRPC call's failure: its status code and message, as the server sent them. */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

/** The control API on one connection; disposing closes it. */
export interface Control extends AsyncDisposable {
  /**
   * Solves `request`, streaming its status messages (`StatusResponse`, as bytes) to `onStatus`;
   * resolves when the solve and its status have ended, rejects with the solve's GrpcError.
   */
  solve(request: SolveRequest, onStatus: (message: Uint8Array) => void): Promise<void>
}

export async function openControl(engine: Engine): Promise<Control> {
  const { connect } = await import('node:http2')
  const socket = await dialEngine<Duplex>(engine, {
    method: 'POST',
    path: '/grpc',
    hijack: true,
    headers: { Upgrade: 'h2c' },
    statusCodes: { 101: true, 200: true, 500: 'server error' },
  })
  const client: ClientHttp2Session = connect('http://buildkit', { createConnection: () => socket })
  client.on('error', () => undefined)
  return {
    solve: async (request, onStatus) => {
      const ref = randomUUID().replace(/-/g, '')
      const status = grpcCall(
        client,
        '/moby.buildkit.v1.Control/Status',
        lengthDelimited(1, Buffer.from(ref)),
        onStatus,
      )
      const solved = grpcCall(
        client,
        '/moby.buildkit.v1.Control/Solve',
        encodeSolveRequest(ref, request),
        () => undefined,
      )
      // The status ends with the solve; its own failure (the solve already failed, say) says less.
      const [solve, progress] = await Promise.allSettled([solved, status])
      if (solve.status === 'rejected') throw solve.reason
      if (progress.status === 'rejected' && !(progress.reason instanceof GrpcError)) throw progress.reason
    },
    [Symbol.asyncDispose]: async () => {
      client.close()
      socket.end()
    },
  }
}

/**
 * One gRPC call over `client`: `message` sent, each message of the answer to `onMessage` (gRPC's
 * length-prefixed frames); resolves on status 0, rejects with a GrpcError otherwise.
 */
function grpcCall(
  client: ClientHttp2Session,
  path: string,
  message: Buffer,
  onMessage: (m: Buffer) => void,
): Promise<void> {
  return new Promise<void>((done, fail) => {
    const stream = client.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    })
    let status: { code: number; message: string } | undefined
    const outcome = (headers: Record<string, string | string[] | undefined>) => {
      if (headers['grpc-status'] === undefined) return
      status = {
        code: Number(headers['grpc-status']),
        message: decodeURIComponent([headers['grpc-message'] ?? ''].flat().join(', ')),
      }
    }
    stream.on('response', outcome)
    stream.on('trailers', outcome)
    let pending = Buffer.alloc(0)
    stream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
        const length = pending.readUInt32BE(1)
        onMessage(pending.subarray(5, 5 + length))
        pending = pending.subarray(5 + length)
      }
    })
    stream.on('error', fail)
    stream.on('close', () => {
      if (!status) fail(new GrpcError(2, `${path}: the engine closed the call without a status`))
      else if (status.code !== 0) fail(new GrpcError(status.code, status.message))
      else done()
    })
    const header = Buffer.alloc(5)
    header.writeUInt32BE(message.length, 1)
    stream.end(Buffer.concat([header, message]))
  })
}
