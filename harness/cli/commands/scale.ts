import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'
import { up } from './up.js'

/** `scale`'s options. */
export const SCALE_OPTIONS = {
  'no-deps': { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `scale [--no-deps] SERVICE=REPLICAS…`: as Compose v2 scales, the services' containers created
 * or removed to that number (changed ones recreated) and started, with what they depend on unless
 * `--no-deps`; that is `up -d --scale SERVICE=REPLICAS… SERVICE…`.
 */
export const scale: Command = (compose, args, io) => {
  const { values, positionals } = parseOptions('scale', args, SCALE_OPTIONS)
  if (positionals.length === 0) throw new UsageError('scale: requires at least 1 argument: SERVICE=REPLICAS')
  const services = positionals.map((arg) => {
    const [service, replicas] = [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
    if (!arg.includes('=') || service === '' || replicas === '') throw new UsageError(`invalid scale specifier: ${arg}`)
    if (!/^[+-]?\d+$/.test(replicas))
      throw new UsageError(`invalid scale specifier: can't parse replica value as int: ${arg}`)
    return service
  })
  const flags = positionals.flatMap((arg) => ['--scale', arg])
  return up(compose, ['-d', ...(values['no-deps'] ? ['--no-deps'] : []), ...flags, ...new Set(services)], io)
}
