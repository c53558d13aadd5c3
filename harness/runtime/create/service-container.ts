import type { ContainerCreateOptions } from 'dockerode'
import type { ContainerSpec, NetworkAttachment } from './container-spec.js'
import type { Engine } from '../engine/engine.js'
import { tarFiles } from './tar-files.js'
import { older } from './engine-limits.js'
import { engineApiVersion } from '../engine/engine-version.js'

/**
 * Creates and starts a service's container the way Compose creates it (`createServiceContainer`),
 * and left running when this process ends (no reaper). Its start is the engine's: nothing is waited
 * for after it, as Compose waits for nothing (a container that publishes ports and exits at once
 * has started). Resolves with its ID.
 */
export async function startServiceContainer(
  engine: Engine,
  spec: ContainerSpec,
  /** Hears the container's id as soon as it exists, so that a failed start can still remove it, and the engine's warnings. */
  onCreated: (id: string, warnings: readonly string[]) => void,
  /** Awaited between create and start: the container exists early, and starts only once this resolves. */
  beforeStart: () => Promise<void>,
): Promise<string> {
  const id = await createServiceContainer(engine, spec, onCreated)
  await beforeStart()
  await engine.container.start(engine.container.getById(id))
  return id
}

/**
 * Creates a service's container, not started, the way Compose creates it: on the project's
 * networks only, its other networks connected and its injected files written before it starts, its
 * output attachable, ports published as the file says. It carries Testcontainers' labels too (the
 * divergence `testcontainers-labels`): tools that look for Testcontainers' containers find it.
 * `onCreated` hears its ID as soon as it exists, so that a failure after can still remove it, and
 * what the engine warned of as it created it (a setting this kernel cannot apply), which Compose
 * v2 shows under the service's name.
 */
export async function createServiceContainer(
  engine: Engine,
  spec: ContainerSpec,
  onCreated: (id: string, warnings: readonly string[]) => void,
): Promise<string> {
  const { TESTCONTAINERS_VERSION } = await import('../engine/engine-libraries.js')
  const labels = {
    'org.testcontainers': 'true',
    'org.testcontainers.lang': 'node',
    'org.testcontainers.version': TESTCONTAINERS_VERSION,
    ...spec.create.Labels,
  }
  const joining = joiningOf(spec, await networksAtCreate(engine))
  const { Id, Warnings } = await createdWithWarnings(
    engine,
    createOptions(spec, { Labels: labels, AttachStdout: true, AttachStderr: true }, joining.atCreate),
  )
  onCreated(Id, Warnings ?? [])
  await prepareCreated(engine, spec, Id, joining.afterCreate)
  return Id
}

/** The engine's answer to a create, its warnings with it: the request dockerode's `createContainer` makes, which keeps only the ID. */
function createdWithWarnings(
  engine: Engine,
  options: ContainerCreateOptions,
): Promise<{ readonly Id: string; readonly Warnings?: readonly string[] | null }> {
  return new Promise((resolve, reject) => {
    engine.container.dockerode.modem.dial(
      {
        path: '/containers/create?',
        method: 'POST',
        options,
        statusCodes: {
          200: true,
          201: true,
          400: 'bad parameter',
          404: 'no such container',
          406: 'impossible to attach',
          500: 'server error',
        },
      },
      (error, data) =>
        error ? reject(error) : resolve(data as { readonly Id: string; readonly Warnings?: readonly string[] | null }),
    )
  })
}

/**
 * Creates a one-off container of `run`, not started: on its networks as a service's container is,
 * its output attachable, and with `interactive` its input open until the first attached reader
 * ends it. Resolves with its ID.
 */
export async function createContainer(
  engine: Engine,
  spec: ContainerSpec,
  { interactive }: { readonly interactive: boolean },
): Promise<string> {
  const joining = joiningOf(spec, await networksAtCreate(engine))
  const container = await engine.container.dockerode.createContainer(
    createOptions(
      spec,
      {
        AttachStdin: interactive,
        OpenStdin: interactive,
        StdinOnce: interactive,
        AttachStdout: true,
        AttachStderr: true,
      },
      joining.atCreate,
    ),
  )
  try {
    await prepareCreated(engine, spec, container.id, joining.afterCreate)
  } catch (error) {
    await container.remove({ force: true, v: true }).catch(() => {})
    throw error
  }
  return container.id
}

/**
 * Whether the engine takes all of a container's networks when it creates it (API 1.44, Docker 25
 * on), as Compose v2 then gives them; an older engine takes the first, and is asked to connect the
 * others before the start, as v2 asks it.
 */
async function networksAtCreate(engine: Engine): Promise<boolean> {
  const api = await engineApiVersion(engine)
  return api !== '' && !older(api, '1.44')
}

/** The networks a container is created on, and those it is connected to after its create, before its start. */
interface Joining {
  readonly atCreate: readonly NetworkAttachment[]
  readonly afterCreate: readonly NetworkAttachment[]
}

/** Pure: all of the spec's networks at its create when the engine takes them `together`; else its first, the others after. */
export function joiningOf(spec: Pick<ContainerSpec, 'networks'>, together: boolean): Joining {
  return together
    ? { atCreate: spec.networks, afterCreate: [] }
    : { atCreate: spec.networks.slice(0, 1), afterCreate: spec.networks.slice(1) }
}

/**
 * The engine's create options: the spec's, on the networks `joined` (the first the primary one) or
 * its network mode, with `extra` over them.
 */
function createOptions(
  spec: ContainerSpec,
  extra: Partial<ContainerCreateOptions>,
  joined: readonly NetworkAttachment[],
): ContainerCreateOptions {
  const [primary] = spec.networks
  return {
    ...spec.create,
    HostConfig: { ...spec.host, NetworkMode: spec.networkMode ?? primary?.network ?? 'none' },
    ...(!spec.networkMode &&
      primary && {
        NetworkingConfig: { EndpointsConfig: Object.fromEntries(joined.map((n) => [n.network, endpoint(n)])) },
      }),
    ...extra,
  }
}

/** What a created container needs before it starts: the networks it was not created on connected, its injected files written. */
async function prepareCreated(
  engine: Engine,
  spec: ContainerSpec,
  containerId: string,
  afterCreate: readonly NetworkAttachment[],
): Promise<void> {
  for (const extra of afterCreate) {
    await engine.container.dockerode.getNetwork(extra.network).connect({
      Container: containerId,
      EndpointConfig: endpoint(extra),
    })
  }
  if (spec.files.length > 0)
    await engine.container.dockerode.getContainer(containerId).putArchive(tarFiles(spec.files), { path: '/' })
}

/** A container's settings on one network; links only where it has some, as Compose v2 sets them. */
function endpoint(attachment: NetworkAttachment): {
  Aliases: string[]
  Links?: string[]
  IPAMConfig?: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] }
  MacAddress?: string
  DriverOpts?: Record<string, string>
  GwPriority?: number
} {
  // The interface's name is a driver option of the endpoint (engine API 1.49 on), as Compose v2 gives it.
  const driverOpts = {
    ...attachment.driverOpts,
    ...(attachment.interfaceName !== undefined && { 'com.docker.network.endpoint.ifname': attachment.interfaceName }),
  }
  const addresses = {
    ...(attachment.ipv4Address !== undefined && { IPv4Address: attachment.ipv4Address }),
    ...(attachment.ipv6Address !== undefined && { IPv6Address: attachment.ipv6Address }),
    ...(attachment.linkLocalIps !== undefined && { LinkLocalIPs: [...attachment.linkLocalIps] }),
  }
  return {
    Aliases: [...attachment.aliases],
    ...(attachment.links.length > 0 && { Links: [...attachment.links] }),
    ...(Object.keys(addresses).length > 0 && { IPAMConfig: addresses }),
    ...(attachment.macAddress !== undefined && { MacAddress: attachment.macAddress }),
    ...(Object.keys(driverOpts).length > 0 && { DriverOpts: driverOpts }),
    ...(attachment.gwPriority !== undefined && { GwPriority: attachment.gwPriority }),
  }
}
