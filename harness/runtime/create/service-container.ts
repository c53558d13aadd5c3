import type { StartedTestContainer } from 'testcontainers'
import type { ContainerSpec, NetworkAttachment } from './container-spec.js'
import type { Engine } from '../engine/engine.js'
import { tarFiles } from './tar-files.js'

/**
 * Creates and starts a service's container the way Compose creates it: on the project's networks
 * only (testcontainers would also attach it to the default bridge to give it aliases), its other
 * networks connected before it starts, ports published as the file says, and left running when
 * this process ends (no reaper). testcontainers is loaded here, on first use, not when the CLI
 * starts: `config` and `--help` never pay for it.
 */
export async function startServiceContainer(
  engine: Engine,
  spec: ContainerSpec,
  /** Hears the container's id as soon as it exists, so that a failed start can still remove it. */
  onCreated: (id: string) => void = () => {},
  /** Awaited between create and start: the container exists early, and starts only once this resolves. */
  beforeStart: () => Promise<void> = async () => {},
): Promise<StartedTestContainer> {
  const { GenericContainer } = await import('../engine/engine-libraries.js')
  class ServiceContainer extends GenericContainer {
    constructor() {
      super(spec.create.Image!)
      const [primary] = spec.networks
      this.createOpts = { ...this.createOpts, ...spec.create }
      this.hostConfig = { ...this.hostConfig, ...spec.host }
      this.withAutoCleanup(false)
      if (spec.networkMode) {
        this.withNetworkMode(spec.networkMode)
      } else if (primary) {
        this.withNetworkMode(primary.network)
        this.createOpts.NetworkingConfig = { EndpointsConfig: { [primary.network]: endpoint(primary) } }
      } else {
        this.withNetworkMode('none')
      }
    }

    protected override async containerCreated(containerId: string): Promise<void> {
      onCreated(containerId)
      await prepareCreated(engine, spec, containerId)
      await beforeStart()
    }
  }
  return new ServiceContainer().start()
}

/**
 * Creates a container without starting it (a one-off of `run`): on its networks as a service's
 * container is, its output attachable, and with `interactive` its input open until the first
 * attached reader ends it. Resolves with its ID.
 */
export async function createContainer(
  engine: Engine,
  spec: ContainerSpec,
  { interactive }: { readonly interactive: boolean },
): Promise<string> {
  const [primary] = spec.networks
  const container = await engine.container.dockerode.createContainer({
    ...spec.create,
    HostConfig: { ...spec.host, NetworkMode: spec.networkMode ?? primary?.network ?? 'none' },
    ...(!spec.networkMode &&
      primary && { NetworkingConfig: { EndpointsConfig: { [primary.network]: endpoint(primary) } } }),
    AttachStdin: interactive,
    OpenStdin: interactive,
    StdinOnce: interactive,
    AttachStdout: true,
    AttachStderr: true,
  })
  try {
    await prepareCreated(engine, spec, container.id)
  } catch (error) {
    await container.remove({ force: true, v: true }).catch(() => {})
    throw error
  }
  return container.id
}

/** What a created container needs before it starts: its other networks connected, its injected files written. */
async function prepareCreated(engine: Engine, spec: ContainerSpec, containerId: string): Promise<void> {
  for (const extra of spec.networks.slice(1)) {
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
