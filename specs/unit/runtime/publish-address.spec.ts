import { describe, expect, it } from 'vitest'
import { networkInterfaces } from 'node:os'
import { defaultPublishAddress, isLoopback, onThisMachine } from '../../../harness/runtime/engine/publish-address.js'
import { SettingError } from '../../../harness/runtime/engine/runtime-errors.js'

describe('defaultPublishAddress', () => {
  it('keeps ports on loopback with an engine on this machine, on every interface with one elsewhere', () => {
    expect(defaultPublishAddress(true, {})).toBe('127.0.0.1')
    expect(defaultPublishAddress(false, {})).toBe('')
  })

  it('takes COMPOSE_HARNESS_PUBLISH_ADDRESS over either, and refuses one that is not an IP address', () => {
    expect(defaultPublishAddress(false, { COMPOSE_HARNESS_PUBLISH_ADDRESS: '127.0.0.1' })).toBe('127.0.0.1')
    expect(defaultPublishAddress(true, { COMPOSE_HARNESS_PUBLISH_ADDRESS: '::' })).toBe('::')
    expect(() => defaultPublishAddress(true, { COMPOSE_HARNESS_PUBLISH_ADDRESS: 'everywhere' })).toThrow(SettingError)
    expect(() => defaultPublishAddress(true, { COMPOSE_HARNESS_PUBLISH_ADDRESS: 'everywhere' })).toThrow(
      /COMPOSE_HARNESS_PUBLISH_ADDRESS=everywhere is not an IP address/,
    )
  })
})

describe('onThisMachine', () => {
  it('takes loopback addresses, and addresses this machine can listen on, for an engine here', async () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(await onThisMachine(host), host).toBe(true)
    const own = Object.values(networkInterfaces())
      .flat()
      .find((a) => a?.family === 'IPv4' && !a.internal)?.address
    if (own) expect(await onThisMachine(own), own).toBe(true)
  })

  it('takes a name or an address of another machine for an engine elsewhere', async () => {
    // Only a local bind on the address is tried: nothing is sent anywhere.
    for (const host of ['docker', 'engine.example', '192.0.2.254', 'fd00::abcd'])
      expect(await onThisMachine(host), host).toBe(false)
    expect(isLoopback('127.example')).toBe(false)
    expect(isLoopback('localhost.example')).toBe(false)
  })
})
