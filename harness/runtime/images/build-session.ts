import { createHash, randomUUID } from 'node:crypto'
import { createConnection } from 'node:net'
import type { Duplex } from 'node:stream'
import { serveDiffCopy, type DiffCopyCall, type SyncedDir } from './build-context-sync.js'
import type { AgentEndpoint } from './build-ssh.js'
import { dialH2c, type Engine } from '../engine/engine.js'
import { lengthDelimited, varintField, wireFields, wireText } from './protobuf-wire.js'
import { registryAuth, type RegistryAuth } from './registry-auth.js'
import { contentStoreHandlers } from './local-cache.js'
import { contentWriteHandler } from './local-cache-export.js'

/**
 * A BuildKit build session: the client's side of the engine's `/session` endpoint (gRPC over
 * HTTP/2 on the hijacked connection, served by this process), through which BuildKit asks the client
 * for what only the client has. It serves the build context and the Dockerfile (FileSync's
 * DiffCopy, build-context-sync.ts), build secrets (`RUN --mount=type=secret`) by their id, ssh
 * agents (`RUN --mount=type=ssh`), registry credentials as the docker CLI's config holds them
 * (registry-auth.ts), a local cache's content (local-cache.ts), and the engine's health checks. A
 * build names it by `id`.
 */
export interface BuildSession extends AsyncDisposable {
  readonly id: string
}

const SECRETS = '/moby.buildkit.secrets.v1.Secrets/GetSecret'
const CREDENTIALS = '/moby.filesync.v1.Auth/Credentials'
const DIFF_COPY = '/moby.filesync.v1.FileSync/DiffCopy'
const CHECK_AGENT = '/moby.sshforward.v1.SSH/CheckAgent'
const FORWARD_AGENT = '/moby.sshforward.v1.SSH/ForwardAgent'
const CONTENT_INFO = '/containerd.services.content.v1.Content/Info'
const CONTENT_READ = '/containerd.services.content.v1.Content/Read'
const CONTENT_WRITE = '/containerd.services.content.v1.Content/Write'
/** The engine checks the session's health every few seconds, and drops a session that fails twice. */
const HEALTH = '/grpc.health.v1.Health/Check'

/** A method whose messages are passed as raw bytes (encoded and decoded by hand, protobuf-wire.ts). */
function rawMethod(path: string, streams = false, responseStream = streams) {
  const same = (b: Buffer): Buffer => b
  return {
    path,
    requestStream: streams,
    responseStream,
    requestSerialize: same,
    requestDeserialize: same,
    responseSerialize: same,
    responseDeserialize: same,
  }
}

/** `GetSecretRequest { string ID = 1; … }` → its ID. */
export function secretRequestId(request: Uint8Array): string {
  for (const f of wireFields(request)) if (f.number === 1) return wireText(f.bytes)
  return ''
}

/** `GetSecretResponse { bytes data = 1; }`. */
export function secretResponse(data: Uint8Array): Buffer {
  return lengthDelimited(1, data)
}

/**
 * `CredentialsResponse { string Username = 1; string Secret = 2; }` for `CredentialsRequest { string
 * Host = 1; }` (the same shape as a secret's request): an identity token goes as the secret alone,
 * as the docker CLI's session gives it.
 */
export function credentialsResponse(auth: RegistryAuth | undefined): Buffer {
  const text = (n: number, value: string | undefined) =>
    value ? lengthDelimited(n, Buffer.from(value)) : Buffer.alloc(0)
  if (auth?.identitytoken) return text(2, auth.identitytoken)
  return Buffer.concat([text(1, auth?.username), text(2, auth?.password)])
}

/** What a session serves: build secrets (id → content), ssh agents (id → where) and the directories BuildKit may sync, by name. */
export interface SessionContent {
  readonly secrets: ReadonlyMap<string, Uint8Array>
  readonly sshAgents: ReadonlyMap<string, AgentEndpoint>
  readonly dirs: ReadonlyMap<string, SyncedDir>
  /** Content stores BuildKit may read and write (a local cache: `local:DIR` → DIR, an OCI layout), by id. */
  readonly contentStores?: ReadonlyMap<string, string>
  /**
   * What stays the same from one build of the same context to the next (its path): BuildKit keeps
   * what it synced under it and asks again only for the files that changed.
   */
  readonly sharedKey: string
}

/** A ForwardAgent call, as grpc-js gives a raw bidirectional stream to its handler. */
interface ForwardCall extends Duplex {
  readonly metadata: { get(key: string): (string | Buffer)[] }
}

/**
 * Joins a ForwardAgent call (BuildKit's side of `RUN --mount=type=ssh`) to the agent's socket:
 * each `BytesMessage { bytes data = 1; }` BuildKit sends is written to the agent, and what the
 * agent answers goes back in messages of the same kind.
 */
function forwardAgent(call: ForwardCall, sshAgents: ReadonlyMap<string, AgentEndpoint>): void {
  const agentId = String(call.metadata.get('buildkit.ssh.id')[0] ?? 'default')
  const endpoint = sshAgents.get(agentId)
  if (!endpoint) {
    call.destroy(new Error(`no ssh agent "${agentId}" in the build's ssh`))
    return
  }
  const messages = (onBytes: (bytes: Uint8Array) => void) =>
    call.on('data', (message: Buffer) => {
      for (const f of wireFields(message)) if (f.number === 1 && f.bytes) onBytes(f.bytes)
    })
  if (typeof endpoint !== 'string') {
    const converse = endpoint.connection()
    messages((bytes) => {
      for (const answer of converse(bytes)) call.write(lengthDelimited(1, answer))
    })
    call.on('end', () => call.end())
    return
  }
  const agent = createConnection(endpoint)
  messages((bytes) => agent.write(bytes))
  call.on('end', () => agent.end())
  call.on('error', () => agent.destroy())
  agent.on('data', (chunk: Buffer) => call.write(lengthDelimited(1, chunk)))
  agent.on('end', () => call.end())
  agent.on('error', (error) => call.destroy(error))
}

/** Opens a session on the engine that serves `content` until it is disposed. */
export async function openBuildSession(engine: Engine, content: SessionContent): Promise<BuildSession> {
  // A CommonJS module: its exports are the namespace itself or its default, depending on the loader
  // (Node, tsx, vitest, the CLI's bundle).
  const loaded = await import('@grpc/grpc-js')
  const grpc = (loaded as unknown as { default?: typeof loaded }).default ?? loaded
  const id = randomUUID()
  const socket = await dialSession(engine, id, content)
  // BuildKit writes a local cache's blobs in messages of up to 8 MiB; grpc-js takes 4 MiB by default.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 << 20 })
  server.addService(
    {
      Check: rawMethod(HEALTH),
      GetSecret: rawMethod(SECRETS),
      Credentials: rawMethod(CREDENTIALS),
      DiffCopy: rawMethod(DIFF_COPY, true),
      CheckAgent: rawMethod(CHECK_AGENT),
      ForwardAgent: rawMethod(FORWARD_AGENT, true),
      Info: rawMethod(CONTENT_INFO),
      Read: rawMethod(CONTENT_READ, false, true),
      Write: rawMethod(CONTENT_WRITE, true),
    },
    sessionHandlers(content, grpc.status),
  )
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket)
  return {
    id,
    [Symbol.asyncDispose]: async () => {
      server.forceShutdown()
      socket.end()
    },
  }
}

/** The engine's `/session` endpoint, upgraded to HTTP/2 for the session's gRPC, the methods it serves announced. */
function dialSession(
  engine: Engine,
  id: string,
  { sshAgents, sharedKey, contentStores }: SessionContent,
): Promise<Duplex> {
  return dialH2c(engine, {
    method: 'POST',
    path: '/session',
    headers: {
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': 'compose-harness',
      'X-Docker-Expose-Session-Sharedkey': createHash('sha256').update(sharedKey).digest('hex'),
      'X-Docker-Expose-Session-Grpc-Method': [
        HEALTH,
        SECRETS,
        CREDENTIALS,
        DIFF_COPY,
        ...(sshAgents.size > 0 ? [CHECK_AGENT, FORWARD_AGENT] : []),
        ...(contentStores?.size ? [CONTENT_INFO, CONTENT_READ, CONTENT_WRITE] : []),
      ],
    },
    statusCodes: { 101: true, 200: true, 500: 'server error' },
  })
}

type Reply = (error: { code: number; details: string } | null, value?: Buffer) => void

/** gRPC's status codes the session answers with. */
interface StatusCodes {
  readonly NOT_FOUND: number
  readonly ALREADY_EXISTS: number
  readonly INVALID_ARGUMENT: number
  readonly OUT_OF_RANGE: number
  readonly FAILED_PRECONDITION: number
}

/** What the session answers BuildKit, method by method, with gRPC's `codes` for what it does not have or cannot do. */
function sessionHandlers({ secrets, sshAgents, dirs, contentStores }: SessionContent, codes: StatusCodes) {
  const notFound = codes.NOT_FOUND
  return {
    // A local cache's blobs, as BuildKit reads them (local-cache.ts) and writes them (local-cache-export.ts).
    ...contentStoreHandlers(contentStores ?? new Map(), notFound),
    Write: contentWriteHandler(contentStores ?? new Map(), {
      notFound,
      alreadyExists: codes.ALREADY_EXISTS,
      invalidArgument: codes.INVALID_ARGUMENT,
      outOfRange: codes.OUT_OF_RANGE,
      failedPrecondition: codes.FAILED_PRECONDITION,
    }),
    // `HealthCheckResponse { status: SERVING }`: without it the engine ends the session after two checks, some ten seconds into a build.
    Check: (_call: unknown, reply: Reply) => reply(null, varintField(1, 1)),
    DiffCopy: (call: DiffCopyCall) => {
      serveDiffCopy(call, dirs).catch((error: unknown) => {
        ;(call as unknown as { destroy(e: unknown): void }).destroy(error)
      })
    },
    // `CheckAgentRequest { string ID = 1; }`: the same shape as a secret's request.
    CheckAgent: (call: { request: Buffer }, reply: Reply) => {
      const agentId = secretRequestId(call.request) || 'default'
      if (sshAgents.has(agentId)) reply(null, Buffer.alloc(0))
      else reply({ code: notFound, details: `no ssh agent "${agentId}" in the build's ssh` })
    },
    ForwardAgent: (call: unknown) => forwardAgent(call as ForwardCall, sshAgents),
    GetSecret: (call: { request: Buffer }, reply: Reply) => {
      const secretId = secretRequestId(call.request)
      const data = secrets.get(secretId)
      if (data) reply(null, secretResponse(data))
      else reply({ code: notFound, details: `no build secret "${secretId}" in the compose file` })
    },
    // A registry's credentials, where the docker CLI's config has them (registry-auth.ts); none, an anonymous pull, where not.
    Credentials: (call: { request: Buffer }, reply: Reply) => {
      registryAuth(secretRequestId(call.request)).then(
        (auth) => reply(null, credentialsResponse(auth)),
        () => reply(null, Buffer.alloc(0)),
      )
    },
  }
}
