import { ResourceError } from '../../runtime/engine/runtime-errors.js'
import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { containerIndex, containerOf } from '../container-of.js'
import type { Command } from './command.js'

/** `port`'s options. */
export const PORT_OPTIONS = {
  index: { type: 'string' },
  protocol: { type: 'string' },
} as const satisfies OptionTable

/** `port [--index N] [--protocol tcp|udp] SERVICE PRIVATE_PORT`: where the engine published it. */
export const port: Command = async (compose, args, { say }) => {
  const { values, positionals } = parseOptions('port', args, PORT_OPTIONS)
  const [service, privatePort, ...extra] = positionals
  if (!service || !privatePort || extra.length > 0 || !/^\d+$/.test(privatePort))
    throw new UsageError('port: give a service and a container port, as in `port web 80`')
  const protocol = values.protocol ?? 'tcp'
  if (protocol !== 'tcp' && protocol !== 'udp') throw new UsageError(`port: --protocol is tcp or udp, got ${protocol}`)
  const handle = await containerOf(compose, service, containerIndex('port', values.index))
  const binding = (await handle.inspect()).NetworkSettings.Ports?.[`${privatePort}/${protocol}`]?.find(
    (b) => b.HostPort,
  )
  if (!binding) throw new ResourceError(`port: ${handle.name} publishes no ${privatePort}/${protocol}`)
  say(`${binding.HostIp || '0.0.0.0'}:${binding.HostPort}`)
  return 0
}
