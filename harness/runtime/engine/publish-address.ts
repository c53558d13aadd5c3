import { createServer, isIP } from 'node:net'
import { SettingError } from './runtime-errors.js'

/** Overrides the address that a port is published on when the compose file gives none. */
export const PUBLISH_ADDRESS_VARIABLE = 'COMPOSE_HARNESS_PUBLISH_ADDRESS'

/**
 * The host address a port is published on when the compose file gives none (`"8080"`, `"8080:80"`).
 * With an engine on this machine, 127.0.0.1: the port answers the tests and nothing else on the
 * network. With an engine elsewhere (`DOCKER_HOST=tcp://docker:2375`, Docker Desktop's VM, the
 * engine of a machine whose socket this container was given), loopback would be that engine's own
 * and unreachable from here, so no address at all, as Compose v2 always asks: the engine's default,
 * every interface (IPv4 and, where the engine has it, IPv6).
 * `COMPOSE_HARNESS_PUBLISH_ADDRESS` chooses it outright.
 */
export function defaultPublishAddress(engineIsHere: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env[PUBLISH_ADDRESS_VARIABLE]
  if (chosen) {
    if (!isIP(chosen))
      throw new SettingError(
        `${PUBLISH_ADDRESS_VARIABLE}=${chosen} is not an IP address: give one such as 127.0.0.1 or 0.0.0.0.`,
      )
    return chosen
  }
  return engineIsHere ? '127.0.0.1' : ''
}

const here = new Map<string, Promise<boolean>>()

/**
 * Whether the engine, reached at `engineHost` (as testcontainers resolves it), shares this
 * process's network, so that its loopback is ours: when that address is a loopback one, or one this
 * machine can listen on (testcontainers gives the bridge's gateway wherever /.dockerenv exists,
 * even where the engine runs beside this process rather than outside its container). Asked once
 * an address.
 */
export function onThisMachine(engineHost: string): Promise<boolean> {
  const bare = engineHost.replace(/^\[|\]$/g, '')
  let answer = here.get(bare)
  if (!answer) {
    answer = isLoopback(bare) ? Promise.resolve(true) : isIP(bare) ? canListenOn(bare) : Promise.resolve(false)
    here.set(bare, answer)
  }
  return answer
}

/** `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '')
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'))
}

/** Whether `address` is one of this machine's: only those can be listened on (whatever the state of their interface). */
function canListenOn(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(0, address, () => server.close(() => resolve(true)))
  })
}
