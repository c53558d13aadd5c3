import { describe, expect, inject, it } from 'vitest'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { removeNetwork } from '../../../harness/runtime/engine/remove.js'
import { uniqueProjectName } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('removing a network', () => {
  it('waits while the engine still holds an endpoint on it, and removes it once the endpoint is gone', async () => {
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
      const removal = removeNetwork(engine, network.id)
      // The scenario, not a wait for readiness: the endpoint outlives the first attempt.
      await new Promise((resolve) => setTimeout(resolve, 300))
      await container.remove({ force: true })
      await removal
      expect(await docker.listNetworks({ filters: { name: [name] } })).toEqual([])
    } finally {
      await container.remove({ force: true }).catch(() => undefined)
      await network.remove().catch(() => undefined)
    }
  })
})
