import { describe, expect, inject, it } from 'vitest'
import { addressOf, resolveFrom } from '../support/observe.js'
import { runtimeFixture } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('networks and links', () => {
  it('isolates services that share no network, and gives per-network aliases', async () => {
    await using project = await runtimeFixture('networks').up()
    const [proxy, web, db] = ['proxy', 'web', 'db'].map((s) => project.service(s))
    const webAddresses = await addressOf(web!)
    expect(webAddresses).toHaveLength(2)
    const [webOnFront] = await resolveFrom(proxy!, 'web')
    expect(webAddresses).toContain(webOnFront)
    expect(await resolveFrom(proxy!, 'www')).toEqual([webOnFront])
    expect(await resolveFrom(proxy!, 'db')).toEqual([])
    expect(await resolveFrom(web!, 'db')).toEqual(await addressOf(db!))
    expect(await resolveFrom(db!, 'www')).toEqual([])
    expect(await resolveFrom(db!, 'web')).toHaveLength(1)
  })

  it('lets only the linking service reach a link alias', async () => {
    await using project = await runtimeFixture('links').up()
    const server = await addressOf(project.service('server'))
    expect(await resolveFrom(project.service('client'), 'talkto')).toEqual(server)
    expect(await resolveFrom(project.service('bystander'), 'talkto')).toEqual([])
    expect(await resolveFrom(project.service('bystander'), 'server')).toEqual(server)
  })
})
