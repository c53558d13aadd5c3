import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import type { ClientHttp2Session } from 'node:http2'
import type { BuildSpec } from '../../model/project/types.js'
import { dialH2c, type Engine } from '../engine/engine.js'
import { lengthDelimited, wireFields, wireText } from './protobuf-wire.js'
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
  /** Caches to export (`cache_to`): inline, and on containerd's image store a local directory or a registry. */
  readonly cacheExports: readonly CacheEntry[]
  /** Caches to import (`cache_from`): images, local directories (resolved to their manifests), and other kinds. */
  readonly cacheImports?: readonly CacheEntry[]
}

/** A cache BuildKit imports or exports (its `CacheOptionsEntry`): its kind and attributes. */
export interface CacheEntry {
  readonly type: string
  readonly attrs: Readonly<Record<string, string>>
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
 * Pure: the attestations buildx asks the frontend for where its builder keeps them, as Compose v2's
 * builds on an engine with containerd's image store get them: those asked for (`attests`, by
 * kind), and a minimal provenance where none is, unless BUILDX_NO_DEFAULT_ATTESTATIONS is true.
 */
export function defaultAttestations(
  env: NodeJS.ProcessEnv,
  attests: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const asked = Object.fromEntries(
    Object.entries(attests)
      .filter(([, value]) => value !== '')
      .map(([kind, value]) => [`attest:${kind}`, value]),
  )
  return /^(1|t|true)$/i.test(env.BUILDX_NO_DEFAULT_ATTESTATIONS ?? '') || attests.provenance !== undefined
    ? asked
    : { 'attest:provenance': 'mode=min,inline-only=true', ...asked }
}

/** Compose 2.40's words when a build asks for attestations and the engine's own builder would build it. */
export const ATTESTATION_REFUSAL =
  'Attestation is not supported for the docker driver.\nSwitch to a different driver, or turn on the containerd image store, and try again.\nLearn more at https://docs.docker.com/go/attestations/'

/**
 * Pure: an attestation asked for (`--provenance VALUE`, `provenance: VALUE` under `build`), as
 * buildx writes it for BuildKit's frontend: `true` (any of Go's true booleans) turns it on, another
 * value is its attributes (`mode=max`); '' is `false`, turned off (nor is the default provenance
 * then asked for). Compose 2.40 swaps the kind and the value (`type=mode=max,provenance`), which
 * turns the attestation on in its default mode whatever the value: divergence
 * `attestation-value-read`.
 */
export function attestation(kind: 'provenance' | 'sbom', value: string): string {
  if (/^(1|t|true)$/i.test(value)) return `type=${kind}`
  if (/^(0|f|false)$/i.test(value)) return ''
  return `type=${kind},${value}`
}

/**
 * Pure: the attestations a build asks for, by kind (each as `attestation` writes it): the files'
 * `provenance` and `sbom` under `build` where `fromFiles` (Compose v2's `build` command reads them;
 * its `up` does not), the flags' over them.
 */
export function buildAttests(
  fileOptions: Readonly<Record<string, unknown>>,
  { provenance, sbom, fromFiles = false }: { provenance?: string; sbom?: string; fromFiles?: boolean },
): Record<string, string> {
  const asked = (kind: 'provenance' | 'sbom', flag: string | undefined): [string, string][] => {
    const value = flag || (fromFiles && typeof fileOptions[kind] === 'string' ? fileOptions[kind] : '')
    return value ? [[kind, attestation(kind, value)]] : []
  }
  return Object.fromEntries([...asked('provenance', provenance), ...asked('sbom', sbom)])
}

/** Why a build cannot be had through the control API on this engine, as Compose v2 is told. */
export class ControlRefusal extends Error {}

/** The kinds of remote cache an engine's BuildKit announces (its LLB caps `cache.gha`, `cache.s3`), which buildx hands it only where it does. */
export interface RemoteCacheCaps {
  readonly gha: boolean
  readonly s3: boolean
}

/** Pure: what the engine's BuildKit announces, by the engine's API version: `cache.gha` since Docker 23 (API 1.42, BuildKit 0.10), `cache.s3` since Docker 24 (API 1.43, BuildKit 0.11). */
export function remoteCacheCaps(apiVersion: string): RemoteCacheCaps {
  const [major = 0, minor = 0] = apiVersion.split('.').map(Number)
  const atLeast = (wanted: number) => major > 1 || (major === 1 && minor >= wanted)
  return { gha: atLeast(42), s3: atLeast(43) }
}

/**
 * Pure: a `cache_from` or `cache_to` entry as buildx hands it on for Compose v2 (its `CreateCaches`),
 * or undefined where buildx leaves it out: `gha` takes the Actions runtime's token and cache URL from
 * the environment, and is left out without both; `s3` takes its keys from the environment where the
 * entry has none (v2 also reads the AWS configuration files and the instance's metadata service).
 */
export function handedCacheEntry(
  fields: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv,
): CacheEntry | undefined {
  const { type = 'registry', ...attrs } = fields
  if (type === 'gha') {
    const version = attrs.version ?? (/^(1|t|true)$/i.test(env.ACTIONS_CACHE_SERVICE_V2 ?? '') ? '2' : undefined)
    const url = env.ACTIONS_CACHE_URL ?? env.ACTIONS_RESULTS_URL
    const github = {
      ...(env.ACTIONS_RUNTIME_TOKEN !== undefined && { token: env.ACTIONS_RUNTIME_TOKEN }),
      ...(version === '2' && env.ACTIONS_RESULTS_URL !== undefined && { url_v2: env.ACTIONS_RESULTS_URL }),
      ...(url !== undefined && { url }),
    }
    const all = { ...github, ...attrs }
    return all.token && (all.url || all.url_v2) ? { type, attrs: all } : undefined
  }
  if (type === 's3' && (attrs.access_key_id === undefined || attrs.secret_access_key === undefined)) {
    const keys = {
      ...(env.AWS_ACCESS_KEY_ID && { access_key_id: env.AWS_ACCESS_KEY_ID }),
      ...(env.AWS_SECRET_ACCESS_KEY && { secret_access_key: env.AWS_SECRET_ACCESS_KEY }),
      ...(env.AWS_SESSION_TOKEN && { session_token: env.AWS_SESSION_TOKEN }),
    }
    return { type, attrs: { ...keys, ...attrs } }
  }
  return { type, attrs }
}

/** Pure: whether buildx hands a cache of kind `type` to the engine's BuildKit: `gha` and `s3` only where it announces them. */
export function announced(type: string, caps: RemoteCacheCaps): boolean {
  return type === 'gha' ? caps.gha : type === 's3' ? caps.s3 : true
}

/** Whether the build's args ask for an inline cache (`BUILDKIT_INLINE_CACHE`), which buildx then exports. */
export function inlineCacheAsked(build: BuildSpec): boolean {
  return /^(1|t|true)$/i.test(build.args.BUILDKIT_INLINE_CACHE ?? '')
}

/**
 * Pure: a build's `cache_to` as cache exports. The engine's own builder (buildx's `docker` driver,
 * which Compose v2 uses) exports only an inline cache where its images are not in containerd's
 * image store: another kind is refused there with v2's reason. On containerd's image store
 * (`containerdStore`) every kind goes to the engine's BuildKit, as v2 hands them: a local directory
 * (`dest`, from the current directory, written through the session), a registry (`ref`), and the
 * other kinds as `handedCacheEntry` has them.
 */
export function cacheExports(
  build: BuildSpec,
  {
    containerdStore = false,
    caps = { gha: true, s3: true },
    env = {},
    cwd = '.',
  }: { containerdStore?: boolean; caps?: RemoteCacheCaps; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CacheEntry[] {
  const written = Array.isArray(build.options.cache_to) ? build.options.cache_to.map(String) : []
  return written.flatMap((entry) => {
    const fields = cacheFields(entry) ?? { type: 'registry', ref: entry }
    const handed = handedCacheEntry(fields, env)
    if (!handed) return []
    const { type } = handed
    if (type === 'inline') return [{ type, attrs: {} }]
    if (!containerdStore)
      throw new ControlRefusal(
        `cache_to "${entry}": a ${type} cache export is not supported by the engine's own builder (as Compose v2 is told: switch to a builder of another driver, or turn on the containerd image store); \`type=inline\` is`,
      )
    if (type === 'local' && !handed.attrs.dest)
      throw new ControlRefusal(`cache_to "${entry}": a local cache export needs \`dest\`, the directory it writes`)
    if (type === 'registry' && !handed.attrs.ref)
      throw new ControlRefusal(`cache_to "${entry}": a registry cache export needs \`ref\`, the image it writes`)
    if (!announced(type, caps)) return []
    return [type === 'local' ? { type, attrs: { ...handed.attrs, dest: resolve(cwd, handed.attrs.dest!) } } : handed]
  })
}

/**
 * Pure: a build's `cache_from` as the images a build may take its cache from: a reference, or
 * `type=registry,ref=REFERENCE`. A local directory (`type=local,src=DIR`) is left to
 * `localCacheImports` (local-cache.ts), another kind to `otherCacheImports`.
 */
export function cacheImports(cacheFrom: readonly string[] = []): string[] {
  return cacheFrom.flatMap((entry) => {
    const fields = cacheFields(entry)
    if (!fields) return [entry]
    return (fields.type ?? 'registry') === 'registry' && fields.ref ? [fields.ref] : []
  })
}

/**
 * Pure: a build's `cache_from` of another kind than an image or a local directory (a CI service's
 * cache, a bucket, …), as buildx hands them to the engine's BuildKit (`handedCacheEntry`, `announced`). BuildKit
 * imports what it has an importer for; another it shows as a failed import, and builds without it.
 */
export function otherCacheImports(
  cacheFrom: readonly string[] = [],
  caps: RemoteCacheCaps,
  env: NodeJS.ProcessEnv,
): CacheEntry[] {
  return cacheFrom.flatMap((entry) => {
    const fields = cacheFields(entry)
    if (!fields || ['registry', 'local', undefined].includes(fields.type)) return []
    const handed = handedCacheEntry(fields, env)
    return handed && announced(handed.type, caps) ? [handed] : []
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
  imports: readonly CacheEntry[] = [],
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
  if (imports.length > 0)
    attrs['cache-imports'] = JSON.stringify(imports.map(({ type, attrs }) => ({ Type: type, Attrs: attrs })))
  return attrs
}

/** Pure: the caches a build imports, as BuildKit's `CacheOptionsEntry`s: images by reference, local caches by directory and manifest, then the other kinds. */
export function cacheImportEntries(
  cacheFrom: readonly string[] | undefined,
  localCaches: readonly LocalCache[],
  others: readonly CacheEntry[] = [],
): CacheEntry[] {
  return [
    ...cacheImports(cacheFrom).map((ref) => ({ type: 'registry', attrs: { ref } })),
    ...localCaches.map(({ src, digest }) => ({ type: 'local', attrs: { src, digest } })),
    ...others,
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
    ...(r.cacheExports.length > 0 || r.cacheImports?.length
      ? [
          lengthDelimited(
            8,
            Buffer.concat([
              // CacheOptions: Exports = 4, Imports = 5, each a CacheOptionsEntry { Type = 1; Attrs = 2 }.
              ...r.cacheExports.map(({ type, attrs }) =>
                lengthDelimited(4, Buffer.concat([text(1, type), ...map(2, attrs)])),
              ),
              ...(r.cacheImports ?? []).map(({ type, attrs }) =>
                lengthDelimited(5, Buffer.concat([text(1, type), ...map(2, attrs)])),
              ),
            ]),
          ),
        ]
      : []),
    ...r.entitlements.map((e) => text(9, e)),
  ])
}

/** Pure: `SolveResponse { map<string, string> ExporterResponse = 1; }` as its map. */
export function exporterResponse(message: Uint8Array): Record<string, string> {
  const answer: Record<string, string> = {}
  for (const entry of wireFields(message)) {
    if (entry.number !== 1 || !entry.bytes) continue
    const fields = [...wireFields(entry.bytes)]
    answer[wireText(fields.find((f) => f.number === 1)?.bytes)] = wireText(fields.find((f) => f.number === 2)?.bytes)
  }
  return answer
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
   * resolves when the solve and its status have ended, with the exporters' answer (the cache's
   * manifest as `cache.manifest`, among others); rejects with the solve's GrpcError.
   */
  solve(request: SolveRequest, onStatus: (message: Uint8Array) => void): Promise<Record<string, string>>
}

export async function openControl(engine: Engine): Promise<Control> {
  const { connect } = await import('node:http2')
  const socket = await dialH2c(engine, {
    method: 'POST',
    path: '/grpc',
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
      let answer: Record<string, string> = {}
      const solved = grpcCall(client, '/moby.buildkit.v1.Control/Solve', encodeSolveRequest(ref, request), (m) => {
        answer = exporterResponse(m)
      })
      // The status ends with the solve; its own failure (the solve already failed, say) says less.
      const [solve, progress] = await Promise.allSettled([solved, status])
      if (solve.status === 'rejected') throw solve.reason
      if (progress.status === 'rejected' && !(progress.reason instanceof GrpcError)) throw progress.reason
      return answer
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
