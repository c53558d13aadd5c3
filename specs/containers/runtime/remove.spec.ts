import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { removeNetwork } from '../../../harness/runtime/engine/remove.js'
import { ResourceError } from '../../../harness/runtime/engine/runtime-errors.js'
import { uniqueProjectName } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('removing a network', () => {
  it('a container still attached: refused at once, naming the container; removed once the container is gone', async () => {
    const engine = await connectEngine()
    const docker = engine.container.dockerode
    const name = uniqueProjectName('endpoints')
    const network = await docker.createNetwork({ Name: name })
    const container = await docker.createContainer({
      name,
      Image: 'compose-harness-probe',
      Cmd: ['sleep', 'infinity'],
      HostConfig: { NetworkMode: name, Init: true },
    })
    try {
      await container.start()
      const refused = await removeNetwork(engine, network.id).catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(ResourceError)
      expect((refused as Error).message).toContain(`network ${name} is still used by container(s) ${name}`)
      await container.remove({ force: true })
      await removeNetwork(engine, network.id)
      expect(await docker.listNetworks({ filters: { name: [name] } })).toEqual([])
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
      await network.remove().catch(() => undefined)
    }
  })
})
