import type { ContainerInspectInfo, NetworkInspectInfo, VolumeInspectInfo } from 'dockerode'
import type { Engine } from '../engine/engine.js'
import { LABEL } from '../engine/labels.js'

export interface ProjectInspection {
  readonly containers: readonly ContainerInspectInfo[]
  readonly networks: readonly NetworkInspectInfo[]
  readonly volumes: readonly VolumeInspectInfo[]
}

/** The engine's full inspection of everything labelled with the project, whoever created it. */
export async function inspectProject(engine: Engine, project: string): Promise<ProjectInspection> {
  const docker = engine.container.dockerode
  const filters = { label: [`${LABEL.project}=${project}`] }
  const [containers, networks, volumes] = await Promise.all([
    docker
      .listContainers({ all: true, filters })
      .then((list) => Promise.all(list.map((c) => docker.getContainer(c.Id).inspect()))),
    docker.listNetworks({ filters }).then((list) => Promise.all(list.map((n) => docker.getNetwork(n.Id).inspect()))),
    docker
      .listVolumes({ filters })
      .then((list) => Promise.all((list.Volumes ?? []).map((v) => docker.getVolume(v.Name).inspect()))),
  ])
  return { containers, networks, volumes }
}
