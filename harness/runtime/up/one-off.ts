import { randomBytes } from 'node:crypto'
import { configHash } from '../../model/pipeline/config-hash.js'
import type { LoadedCompose } from '../../model/pipeline/load.js'
import { nameSeparatorOf, type PortSpec, type ServiceSpec } from '../../model/project/types.js'
import { containerSpec } from '../create/container-spec.js'
import type { Engine } from '../engine/engine.js'
import { streamAttached } from '../container/exec-stream.js'
import { runHooks } from '../container/hooks.js'
import { containerLabels, LABEL } from '../engine/labels.js'
import { listProjectContainers } from '../project/project-containers.js'
import { defaultPublishAddress, onThisMachine } from '../engine/publish-address.js'
import { waitForCondition } from '../container/readiness.js'
import { createContainer } from '../create/service-container.js'
import { imageIdOf } from '../images/image-lookup.js'

/** How `run` makes its one-off container differ from the service's own, as `docker compose run`'s flags say. */
export interface OneOffOptions {
  /** Over the service's command (`run SERVICE CMD…`). */
  readonly command?: readonly string[]
  /** Over the service's entrypoint (`--entrypoint`). */
  readonly entrypoint?: readonly string[]
  /** Over the service's environment (`-e KEY=VALUE`). */
  readonly environment?: Readonly<Record<string, string>>
  readonly user?: string
  readonly workingDir?: string
  /** The container's name (`--name`); else the service's `container_name`, else `<project>-<service>-run-<id>`. */
  readonly name?: string
  /** Over the service's labels (`-l KEY=VALUE`). */
  readonly labels?: Readonly<Record<string, string>>
  /** Publish the service's ports as its file does (`--service-ports`); a one-off publishes none otherwise. */
  readonly servicePorts?: boolean
  /** Ports to publish (`-p`), in the file's short syntax, read. */
  readonly publish?: readonly PortSpec[]
  /** Known on its networks by the service's name and aliases too (`--use-aliases`); by its own name only otherwise. */
  readonly useAliases?: boolean
  /** Its input open, for `runAttached` to feed (`-i`, Compose's default). */
  readonly interactive?: boolean
  /** Capabilities added over the service's (`--cap-add`), taken out of its `cap_drop`. */
  readonly capAdd?: readonly string[]
  /** Capabilities dropped over the service's (`--cap-drop`), taken out of its `cap_add`. */
  readonly capDrop?: readonly string[]
}

/**
 * Pure: the service as its one-off container runs it, as Compose v2 makes it: one container, no
 * restart policy, no published ports unless asked for, the flags' command, entrypoint,
 * environment, user, directory and labels over the file's.
 */
export function oneOffService(service: ServiceSpec, options: OneOffOptions): ServiceSpec {
  const { deployRestart: _restart, ...run } = service.run
  const { restart: _serviceRestart, ...rest } = service
  return {
    ...rest,
    replicas: 1,
    run,
    ports: options.servicePorts ? service.ports : (options.publish ?? []),
    environment: { ...service.environment, ...options.environment },
    labels: { ...service.labels, ...options.labels },
    ...(options.command?.length && { command: options.command }),
    ...(options.entrypoint && { entrypoint: options.entrypoint }),
    ...(options.user !== undefined && { user: options.user }),
    ...(options.workingDir !== undefined && { workingDir: options.workingDir }),
    host: withCapabilities(service.host, options),
  }
}

/** `--cap-add` and `--cap-drop` over the service's own, each taking its capabilities out of the other list, in Compose v2's order. */
function withCapabilities(
  host: ServiceSpec['host'],
  { capAdd = [], capDrop = [] }: OneOffOptions,
): ServiceSpec['host'] {
  if (capAdd.length === 0 && capDrop.length === 0) return host
  let add = host.capAdd ?? []
  let drop = host.capDrop ?? []
  if (capAdd.length > 0) {
    add = [...add, ...capAdd]
    drop = drop.filter((c) => !capAdd.includes(c))
  }
  if (capDrop.length > 0) {
    drop = [...drop, ...capDrop]
    add = add.filter((c) => !capDrop.includes(c))
  }
  const { capAdd: _add, capDrop: _drop, ...rest } = host
  return { ...rest, ...(add.length > 0 && { capAdd: add }), ...(drop.length > 0 && { capDrop: drop }) }
}

/**
 * Waits until every dependency of `service` meets its `depends_on` condition (its containers
 * started, healthy, or completed successfully), as `run` does before it creates its container.
 */
export async function waitForDependencies(
  engine: Engine,
  { project }: LoadedCompose,
  service: string,
  timeoutMs: number,
): Promise<void> {
  const containers = await listProjectContainers(engine, project.name)
  await Promise.all(
    Object.entries(project.services[service]!.dependsOn).flatMap(([dep, { condition }]) =>
      containers
        .filter((c) => c.service === dep)
        .map((c) =>
          waitForCondition(
            { engine, service: dep, id: c.id, image: project.services[dep]?.image ?? c.image, timeoutMs },
            condition,
          ),
        ),
    ),
  )
}

/** The one-off container `run` created: its ID and name. */
export interface OneOffContainer {
  readonly id: string
  readonly name: string
}

/**
 * Creates the one-off container of `service` (not started), labelled as Compose v2 labels one
 * (`oneoff: True`, a `slug`), and with `session` when this process's reaper is to remove it.
 */
export async function createOneOff(
  engine: Engine,
  { project }: LoadedCompose,
  serviceName: string,
  options: OneOffOptions,
  session?: string,
): Promise<OneOffContainer> {
  const service = oneOffService(project.services[serviceName]!, options)
  const slug = randomBytes(32).toString('hex')
  const name =
    options.name ??
    service.containerName ??
    [project.name, serviceName, 'run', slug.slice(0, 12)].join(nameSeparatorOf(project))
  const imageId = await imageIdOf(engine, service.image)
  const existing = (await listProjectContainers(engine, project.name)).sort((a, b) => a.number - b.number)
  const spec = containerSpec({
    project,
    service,
    name,
    number: 1,
    labels: {
      ...containerLabels({
        project,
        service,
        number: 1,
        configHash: configHash(service),
        imageId,
        ...(session && { session }),
      }),
      [LABEL.oneoff]: 'True',
      [LABEL.slug]: slug,
    },
    containersOf: (s) => existing.filter((c) => c.service === s).map((c) => c.name),
    publishAddress: defaultPublishAddress(await onThisMachine(engine.info.containerRuntime.host)),
  })
  // As in Compose v2: known by its own name only (unless asked), and linked to its service's own containers.
  const own = existing.filter((c) => c.service === serviceName).map((c) => c.name)
  const networks = spec.networks.map((n) => ({
    ...n,
    aliases: options.useAliases ? n.aliases : [name],
    links: [
      ...n.links,
      ...own.flatMap((c) => [`${c}:${serviceName}`, `${c}:${c.slice(project.name.length + 1)}`, `${c}:${c}`]),
    ],
  }))
  const id = await createContainer(engine, { ...spec, networks }, { interactive: options.interactive ?? false })
  return { id, name }
}

/** Starts a one-off container and runs its service's `post_start` hooks, without attaching to it (`run -d`). */
export async function startOneOff(engine: Engine, service: ServiceSpec, id: string): Promise<void> {
  await engine.container.getById(id).start()
  await runHooks(engine, { id, service: service.name }, 'post_start', service.run.postStart)
}

/**
 * Starts a one-off container attached to it: its output to `stdout` and `stderr` as it comes
 * (none of it missed: attached before the start), `stdin` as its input (its end the container's
 * end-of-file), its `post_start` hooks run once it has started. Resolves with its exit code.
 */
export async function runAttached(
  engine: Engine,
  service: ServiceSpec,
  id: string,
  io: {
    readonly stdout: NodeJS.WritableStream
    readonly stderr: NodeJS.WritableStream
    readonly stdin?: NodeJS.ReadableStream
  },
): Promise<number> {
  const container = engine.container.dockerode.getContainer(id)
  const stream = await container.attach({
    stream: true,
    stdin: io.stdin !== undefined,
    stdout: true,
    stderr: true,
    hijack: io.stdin !== undefined,
  })
  // A broken stream still ends the run: the exit code comes from the engine's wait.
  const ended = streamAttached(engine, stream, io).catch(() => undefined)
  // next-exit: a created container is not running yet, and the default condition would answer at once.
  const exited = container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>
  await startOneOff(engine, service, id)
  const { StatusCode } = await exited
  await ended
  return StatusCode
}

/** Sends `signal` to a container; one that has stopped or gone is fine. */
export async function signalContainer(engine: Engine, id: string, signal: NodeJS.Signals): Promise<void> {
  await engine.container.dockerode
    .getContainer(id)
    .kill({ signal })
    .catch(() => {})
}
