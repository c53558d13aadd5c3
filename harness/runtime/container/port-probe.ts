import type { ContainerInspectInfo } from 'dockerode'
import { connect } from 'node:net'
import { containerAddress } from '../engine/endpoint.js'
import type { Engine } from '../engine/engine.js'
import { onThisMachine } from '../engine/publish-address.js'

/** What a TCP connection attempt found: a listener, a refusal, or no route to the address at all. */
export type Probe = 'open' | 'refused' | 'unreachable'

const CONNECT_TIMEOUT_MS = 1000

/**
 * Whether something in the container accepts connections on `port`. With an engine on this
 * machine, asked first at the container's own address, which Linux reaches and where a refusal
 * means "not yet". Where that address cannot be reached (Docker Desktop, an engine elsewhere, whose
 * container addresses may even be taken by some other host here), the container's own socket table
 * says whether a process listens: a published port cannot tell, because the engine's proxy
 * accepts connections for it before anything listens behind it.
 */
export async function portAccepts(engine: Engine, info: ContainerInspectInfo, port: number): Promise<boolean> {
  const address = (await onThisMachine(engine.info.containerRuntime.host)) ? containerAddress(info) : undefined
  const direct = address ? await probeTcp(address, port) : 'unreachable'
  if (direct !== 'unreachable') return direct === 'open'
  const tables = await engine.container.exec(engine.container.getById(info.Id), [
    'cat',
    '/proc/net/tcp',
    '/proc/net/tcp6',
  ])
  return listensOn(tables.stdout, port)
}

export function probeTcp(host: string, port: number): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: CONNECT_TIMEOUT_MS })
    const done = (probe: Probe): void => {
      socket.destroy()
      resolve(probe)
    }
    socket.once('connect', () => done('open'))
    socket.once('timeout', () => done('unreachable'))
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'refused' : 'unreachable'),
    )
  })
}

/** Whether /proc/net/tcp (or tcp6) text lists a socket in LISTEN state (0A) on `port`. */
export function listensOn(procNetTcp: string, port: number): boolean {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  return procNetTcp.split('\n').some((line) => {
    const [, local, , state] = line.trim().split(/\s+/)
    return state === '0A' && local?.split(':').pop()?.toUpperCase() === hexPort
  })
}
