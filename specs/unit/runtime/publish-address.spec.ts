import { describe, expect, it } from 'vitest'
import { defaultPublishAddress, isLoopback, onThisMachine } from '../../../harness/runtime/publish-address.js'
import { SettingError } from '../../../harness/runtime/runtime-errors.js'

describe('defaultPublishAddress', () => {
  it('keeps ports on loopback when the engine is reached at a loopback address', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]'])
      expect(defaultPublishAddress(host, {}), host).toBe('127.0.0.1')
  })

  it('publishes on every interface when the engine is elsewhere, where its loopback is not this machine’s', () => {
    for (const host of ['docker', '10.255.0.5', 'engine.example', 'fd00::1'])
      expect(defaultPublishAddress(host, {}), host).toBe('0.0.0.0')
  })

  it('takes an engine reached at one of this machine’s own addresses (the bridge’s gateway) for one on this machine', () => {
    const own = () => ['127.0.0.1', '192.0.2.2', '172.17.0.1']
    expect(onThisMachine('172.17.0.1', own)).toBe(true)
    expect(onThisMachine('172.17.0.2', own)).toBe(false)
    expect(onThisMachine('docker', own)).toBe(false)
  })

  it('takes COMPOSE_HARNESS_PUBLISH_ADDRESS over either, and refuses one that is not an IP address', () => {
    expect(defaultPublishAddress('docker', { COMPOSE_HARNESS_PUBLISH_ADDRESS: '127.0.0.1' })).toBe('127.0.0.1')
    expect(defaultPublishAddress('localhost', { COMPOSE_HARNESS_PUBLISH_ADDRESS: '::' })).toBe('::')
    expect(() => defaultPublishAddress('localhost', { COMPOSE_HARNESS_PUBLISH_ADDRESS: 'everywhere' })).toThrow(
      SettingError,
    )
    expect(() => defaultPublishAddress('localhost', { COMPOSE_HARNESS_PUBLISH_ADDRESS: 'everywhere' })).toThrow(
      /COMPOSE_HARNESS_PUBLISH_ADDRESS=everywhere is not an IP address/,
    )
  })

  it('does not take a name that merely starts like loopback for loopback', () => {
    expect(isLoopback('127.example')).toBe(false)
    expect(isLoopback('localhost.example')).toBe(false)
  })
})
