import { describe, expect, it } from 'vitest'
import { containerLabels, containerName, networkName } from '../../../harness/runtime/engine/labels.js'
import { loadInline } from '../support/load-inline.js'

describe('Compose labels and names', () => {
  it('names containers and the network as Compose v2 does', () => {
    expect(containerName('echo', 'echo-server', 1)).toBe('echo-echo-server-1')
    expect(networkName('echo')).toBe('echo_default')
  })

  it('records the project, service, number, hash, image and dependencies of a container', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: w\n    links: ["db:database"]\n    depends_on: {cache: {condition: service_started, restart: true}}\n  db:\n    image: d\n  cache:\n    image: c\n',
    )
    expect(
      containerLabels({ project, service: project.services.web!, number: 1, configHash: 'h', imageId: 'sha256:i' }),
    ).toEqual({
      'com.docker.compose.project': 'project',
      'com.docker.compose.service': 'web',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.config-hash': 'h',
      'com.docker.compose.image': 'sha256:i',
      'com.docker.compose.depends_on': 'cache:service_started:true,db:service_started:true',
      'com.docker.compose.project.working_dir': '/project',
      'com.docker.compose.project.config_files': 'compose.yml',
      'com.docker.compose.version': '2.0.0',
    })
  })
})
