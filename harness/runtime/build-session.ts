import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { dialEngine, type Engine } from './engine.js'
import { lengthDelimited, wireFields, wireText } from './protobuf-wire.js'

/**
 * A BuildKit build session: the client's side of the engine's `/session` endpoint (gRPC over
 * HTTP/2 on the hijacked connection, served by this process), through which BuildKit asks the client
 * for what only the client has. It serves build secrets (`RUN --mount=type=secret`) by their id and
 * answers registry credential requests with none (the engine's own). A build names it by `id`.
 */
export interface BuildSession extends AsyncDisposable {
  readonly id: string
}

const SECRETS = '/moby.buildkit.secrets.v1.Secrets/GetSecret'
const CREDENTIALS = '/moby.filesync.v1.Auth/Credentials'

/** A unary method whose messages are passed as raw bytes (encoded and decoded by hand, protobuf-wire.ts). */
function rawMethod(path: string) {
  const same = (b: Buffer): Buffer => b
  return {
    path,
    requestStream: false,
    responseStream: false,
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

/** Opens a session on the engine that serves `secrets` (id → content) until it is disposed. */
export async function openBuildSession(
  engine: Engine,
  secrets: ReadonlyMap<string, Uint8Array>,
): Promise<BuildSession> {
  // A CommonJS module: its exports are the namespace itself or its default, depending on the loader
  // (Node, tsx, vitest, the CLI's bundle).
  const loaded = await import('@grpc/grpc-js')
  const grpc = (loaded as unknown as { default?: typeof loaded }).default ?? loaded
  const id = randomUUID()
  const socket = await dialEngine<Duplex>(engine, {
    method: 'POST',
    path: '/session',
    hijack: true,
    headers: {
      Upgrade: 'h2c',
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': 'compose-harness',
      'X-Docker-Expose-Session-Grpc-Method': [SECRETS, CREDENTIALS],
    },
    statusCodes: { 101: true, 200: true, 500: 'server error' },
  })
  const server = new grpc.Server()
  type Reply = (error: { code: number; details: string } | null, value?: Buffer) => void
  server.addService(
    { GetSecret: rawMethod(SECRETS), Credentials: rawMethod(CREDENTIALS) },
    {
      GetSecret: (call: { request: Buffer }, reply: Reply) => {
        const secretId = secretRequestId(call.request)
        const data = secrets.get(secretId)
        if (data) reply(null, secretResponse(data))
        else reply({ code: grpc.status.NOT_FOUND, details: `no build secret "${secretId}" in the compose file` })
      },
      // No credentials of our own: the engine pulls with what it has.
      Credentials: (_call: unknown, reply: Reply) => reply(null, Buffer.alloc(0)),
    },
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
