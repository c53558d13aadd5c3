import type { ComposeProject, ServiceSpec } from '../../model/project/types.js'

/** The labels by which Compose v2 (and the Compose CLI) recognises its containers and networks. */
export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  /** A hook's own container (`pre_start`): not one of the service's containers. */
  hook: 'com.docker.compose.hook',
  /** A one-off container's random ID, whose first 12 characters end its name. */
  slug: 'com.docker.compose.slug',
  configHash: 'com.docker.compose.config-hash',
  image: 'com.docker.compose.image',
  dependsOn: 'com.docker.compose.depends_on',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  version: 'com.docker.compose.version',
} as const

/** Marks what one process created under its reaper (reaper.ts); absent on what `up -d` creates. */
export const SESSION_LABEL = 'com.compose-harness.session'

/** Written into `com.docker.compose.version`; the Compose CLI reads it only to warn on mismatch. */
export const COMPOSE_VERSION = '2.0.0'

/** A service's container name when it has no `container_name`: `p-web-1` (`p_web_1` under `--compatibility`). */
export function containerName(project: string, service: string, number: number, separator: '-' | '_' = '-'): string {
  return [project, service, number].join(separator)
}

export function networkName(project: string, network = 'default'): string {
  return `${project}_${network}`
}

export interface ContainerLabelInput {
  readonly project: ComposeProject
  readonly service: ServiceSpec
  readonly number: number
  readonly configHash: string
  readonly imageId: string
  readonly session?: string
}

export function containerLabels({
  project,
  service,
  number,
  configHash,
  imageId,
  session,
}: ContainerLabelInput): Record<string, string> {
  const dependsOn = Object.entries(service.dependsOn)
    .map(([dep, spec]) => `${dep}:${spec.condition}:${spec.restart}`)
    .sort()
  return {
    [LABEL.project]: project.name,
    [LABEL.service]: service.name,
    [LABEL.number]: String(number),
    [LABEL.oneoff]: 'False',
    [LABEL.configHash]: configHash,
    [LABEL.image]: imageId,
    [LABEL.dependsOn]: dependsOn.join(','),
    [LABEL.workingDir]: project.directory,
    [LABEL.configFiles]: project.files.join(','),
    [LABEL.version]: COMPOSE_VERSION,
    ...(session && { [SESSION_LABEL]: session }),
  }
}

/** The labels Compose v2 gives an image it builds, over the build's own `labels`. */
export function imageLabels(project: string, service: string): Record<string, string> {
  return { [LABEL.version]: COMPOSE_VERSION, [LABEL.project]: project, [LABEL.service]: service }
}

export function networkLabels(project: string, network = 'default', session?: string): Record<string, string> {
  return {
    [LABEL.project]: project,
    [LABEL.network]: network,
    [LABEL.version]: COMPOSE_VERSION,
    ...(session && { [SESSION_LABEL]: session }),
  }
}

export function volumeLabels(project: string, volume: string, session?: string): Record<string, string> {
  return {
    [LABEL.project]: project,
    [LABEL.volume]: volume,
    [LABEL.version]: COMPOSE_VERSION,
    ...(session && { [SESSION_LABEL]: session }),
  }
}
