import { describe, expect, inject, it } from 'vitest'
import { leftOf } from './support/observe.js'
import { echoProject } from './support/test-projects.js'

describe.skipIf(!inject('engineReady'))("the echo project's lifecycle", () => {
  it('comes up again under the same name after down, with nothing left in between', async () => {
    const compose = echoProject('up-down-up')
    const first = await compose.up()
    try {
      await first.service('client').waitForLog(/^Received: /, { timeoutMs: 20_000 })
      await first.down()
      expect(await leftOf(first.name)).toEqual([])
      await using second = await compose.up()
      await second.service('client').waitForLog(/^Received: /, { timeoutMs: 20_000 })
      expect(second.service('client').id).not.toBe(first.service('client').id)
      expect(await leftOf(second.name)).toEqual(
        expect.arrayContaining([`/${second.name}-client-1`, `/${second.name}-echo-server-1`, `${second.name}_default`]),
      )
    } finally {
      await first.down()
    }
  })

  it('keeps both containers when up runs again with nothing changed', async () => {
    const compose = echoProject('second-up')
    await using first = await compose.up()
    const second = await compose.up()
    expect(second.service('echo-server').id).toBe(first.service('echo-server').id)
    expect(second.service('client').id).toBe(first.service('client').id)
    expect((await second.service('client').inspect()).State.Running).toBe(true)
  })

  it("recreates only the client when the client's environment changes", async () => {
    const compose = echoProject('recreate-client')
    await using first = await compose.up()
    await first.service('client').waitForLog(/^Received: Hello, world$/, { timeoutMs: 20_000 })
    const changed = await compose
      .withOverride({ services: { client: { environment: { ECHO_MESSAGE: 'changed' } } } })
      .up()
    expect(changed.service('echo-server').id).toBe(first.service('echo-server').id)
    expect(changed.service('client').id).not.toBe(first.service('client').id)
    await changed.service('client').waitForLog(/^Received: changed$/, { timeoutMs: 20_000 })
  })

  it('labels containers and the network as Compose v2 does', async () => {
    await using project = await echoProject('labels').up()
    const client = await project.service('client').inspect()
    expect(client.Name).toBe(`/${project.name}-client-1`)
    expect(client.Config.Labels).toMatchObject({
      'com.docker.compose.project': project.name,
      'com.docker.compose.service': 'client',
      'com.docker.compose.container-number': '1',
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.depends_on': 'echo-server:service_started:true',
    })
    expect(client.Config.Labels['com.docker.compose.config-hash']).toMatch(/^[0-9a-f]{64}$/)
  })
})
