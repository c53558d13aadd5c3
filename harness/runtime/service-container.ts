import { GenericContainer } from 'testcontainers'
import type { ServiceSpec } from '../compose/types.js'

export interface ServiceContainerOptions {
  readonly service: ServiceSpec
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly network: string
  /** Host names under which the container is reachable on `network`. */
  readonly aliases: readonly string[]
}

/**
 * A service's container created the way Compose creates it: attached to the project network
 * only (testcontainers would also attach it to the default bridge to give it aliases), exposed
 * ports declared without being published, and left running when this process ends.
 */
export class ServiceContainer extends GenericContainer {
  constructor({ service, name, labels, network, aliases }: ServiceContainerOptions) {
    super(service.image)
    this.withName(name).withLabels({ ...labels }).withNetworkMode(network).withAutoCleanup(false)
    if (Object.keys(service.environment).length > 0) this.withEnvironment({ ...service.environment })
    if (service.command) this.withCommand([...service.command.args])
    if (service.entrypoint) this.withEntrypoint([...service.entrypoint.args])
    this.createOpts.ExposedPorts = Object.fromEntries(service.expose.map((port) => [port, {}]))
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [...aliases] } } }
  }
}
