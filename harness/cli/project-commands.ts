import { stringify } from 'yaml'
import type { Compose } from '../compose.js'
import { checkServiceNames } from '../compose/service-selection.js'
import type { ContainerPort } from '../runtime/project-containers.js'
import { ResourceError } from '../runtime/runtime-errors.js'
import { toComposeDocument } from '../compose/to-compose.js'
import { containerIndex, containerOf } from './container-of.js'
import { execStreamingIn } from './exec-in.js'
import { parseCommandArgs, seconds, UsageError } from './args.js'
import type { Io } from './io.js'
import { followOutput } from './follow-output.js'
import { logPrefixer, wantsColour } from './log-prefixer.js'
import { progressPrinter } from './progress.js'

type Command = (compose: Compose, args: string[], io: Io) => Promise<number>

/** Every command but `up`, each as the Compose CLI has it. */
export const PROJECT_COMMANDS: Record<string, Command> = {
  async down(compose, args) {
    const { values, positionals } = parseCommandArgs('down', args, { timeout: { type: 'string', short: 't' }, volumes: { type: 'boolean', short: 'v' }, 'remove-orphans': { type: 'boolean' } })
    const timeoutS = seconds('down', values.timeout)
    await compose.down({ volumes: Boolean(values.volumes), ...(timeoutS !== undefined && { timeoutS }), ...(positionals.length > 0 && { services: positionals }) })
    return 0
  },
  stop: (compose, args) => stopOrRestart('stop', compose, args),
  kill: (compose, args) => signalContainers('kill', compose, args),
  pause: (compose, args) => signalContainers('pause', compose, args),
  unpause: (compose, args) => signalContainers('unpause', compose, args),
  restart: (compose, args) => stopOrRestart('restart', compose, args),
  async start(compose, args) {
    const { positionals } = parseCommandArgs('start', args, {})
    await compose.start(positionals.length > 0 ? { services: positionals } : {})
    return 0
  },
  async ps(compose, args, { say }) {
    const { values } = parseCommandArgs('ps', args, { format: { type: 'string' }, all: { type: 'boolean', short: 'a' } })
    const containers = (await compose.ps()).filter((c) => values.all || c.state !== 'exited')
    if (values.format === 'json') {
      const project = compose.load().project.name
      for (const c of containers) {
        const publishers = c.ports.map((p) => ({ URL: p.hostIp ?? '', TargetPort: p.target, PublishedPort: p.published ?? 0, Protocol: p.protocol }))
        say(JSON.stringify({ ID: c.id, Name: c.name, Project: project, Service: c.service, State: c.state, Status: c.status, Image: c.image, Publishers: publishers }))
      }
      return 0
    }
    if (values.format !== undefined && values.format !== 'table') throw new UsageError(`ps: --format is table or json, got ${values.format}`)
    const rows = [['NAME', 'IMAGE', 'SERVICE', 'STATUS', 'PORTS'], ...containers.map((c) => [c.name, c.image, c.service, c.status, portsColumn(c.ports)])]
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
    for (const row of rows) say(row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]! + 3) : cell)).join(''))
    return 0
  },
  async logs(compose, args, io) {
    const { values, positionals } = parseCommandArgs('logs', args, { follow: { type: 'boolean', short: 'f' }, tail: { type: 'string', short: 'n' }, 'no-color': { type: 'boolean' } })
    const tail = values.tail === undefined || values.tail === 'all' ? undefined : Number(values.tail)
    if (tail !== undefined && !(Number.isInteger(tail) && tail >= 0)) throw new UsageError(`logs: --tail takes a number of lines or "all", got ${values.tail}`)
    const project = await compose.attach()
    checkServiceNames(project.loaded.project, positionals)
    const handles = project.services.filter((h) => positionals.length === 0 || positionals.includes(h.service))
    if (!values.follow) {
      const names = handles.map((h) => `${h.service}-${h.number}`)
      const prefix = logPrefixer(names, !values['no-color'] && wantsColour(process.stdout, process.env))
      for (const [i, h] of handles.entries()) for (const line of await h.logs(tail)) io.say(prefix(names[i]!, line))
      return 0
    }
    const output = followOutput(handles, io, tail, !values['no-color'])
    await Promise.race([Promise.all(output.ended), io.readerGone, new Promise((interrupted) => process.once('SIGINT', interrupted))])
    await output.stop()
    return 0
  },
  async port(compose, args, { say }) {
    const { values, positionals } = parseCommandArgs('port', args, { index: { type: 'string' }, protocol: { type: 'string' } })
    const [service, privatePort, ...extra] = positionals
    if (!service || !privatePort || extra.length > 0 || !/^\d+$/.test(privatePort)) throw new UsageError('port: give a service and a container port, as in `port web 80`')
    const protocol = values.protocol ?? 'tcp'
    if (protocol !== 'tcp' && protocol !== 'udp') throw new UsageError(`port: --protocol is tcp or udp, got ${protocol}`)
    const handle = await containerOf(compose, 'port', service, containerIndex('port', values.index))
    const binding = (await handle.inspect()).NetworkSettings.Ports?.[`${privatePort}/${protocol}`]?.find((b) => b.HostPort)
    if (!binding) throw new ResourceError(`port: ${handle.name} publishes no ${privatePort}/${protocol}`)
    say(`${binding.HostIp || '0.0.0.0'}:${binding.HostPort}`)
    return 0
  },
  async exec(compose, args) {
    return execStreamingIn(compose, args)
  },
  async config(compose, args, { say, warn }) {
    const { values } = parseCommandArgs('config', args, { services: { type: 'boolean' }, format: { type: 'string' }, quiet: { type: 'boolean', short: 'q' } })
    if (values.format !== undefined && values.format !== 'yaml' && values.format !== 'json') throw new UsageError(`config: --format is yaml or json, got ${values.format}`)
    const { project } = compose.load()
    for (const warning of project.warnings) warn(`WARN ${warning}`)
    if (values.quiet) return 0
    const doc = toComposeDocument(project)
    say(values.services ? Object.keys(project.services).join('\n') : values.format === 'json' ? JSON.stringify(doc, null, 2) : stringify(doc).trimEnd())
    return 0
  },
  async build(compose, args, { say }) {
    parseCommandArgs('build', args, {})
    await compose.build('always', progressPrinter(say).build)
    return 0
  },
}

/** `kill [-s SIGNAL]`, `pause`, `unpause` of the project's containers (or those of SERVICE…), all at once, as faults are. */
async function signalContainers(command: 'kill' | 'pause' | 'unpause', compose: Compose, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, args, command === 'kill' ? { signal: { type: 'string', short: 's' } } : {})
  const project = await compose.attach()
  checkServiceNames(project.loaded.project, positionals)
  const handles = project.services.filter((h) => positionals.length === 0 || positionals.includes(h.service))
  // Only the containers the action applies to: running ones to kill, running unpaused ones to pause, paused ones to unpause.
  const applies = ({ Running, Paused }: { Running: boolean; Paused: boolean }): boolean => (command === 'unpause' ? Paused : command === 'pause' ? Running && !Paused : Running)
  const states = await Promise.all(handles.map(async (h) => (await h.inspect()).State))
  const targets = handles.filter((_, i) => applies(states[i]!))
  const signal = typeof values.signal === 'string' ? values.signal : 'SIGKILL'
  await Promise.all(targets.map((h) => (command === 'kill' ? h.kill(signal) : command === 'pause' ? h.pause() : h.unpause())))
  return 0
}

async function stopOrRestart(command: 'stop' | 'restart', compose: Compose, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(command, args, { timeout: { type: 'string', short: 't' } })
  const timeoutS = seconds(command, values.timeout)
  const options = { ...(positionals.length > 0 && { services: positionals }), ...(timeoutS !== undefined && { timeoutS }) }
  await (command === 'stop' ? compose.stop(options) : compose.restart(options))
  return 0
}

/** `127.0.0.1:49153->8080/tcp, 2000/tcp`, as `docker compose ps` shows ports. */
function portsColumn(ports: readonly ContainerPort[]): string {
  const text = ports.map((p) => (p.published === undefined ? `${p.target}/${p.protocol}` : `${p.hostIp}:${p.published}->${p.target}/${p.protocol}`))
  return [...new Set(text)].join(', ')
}
