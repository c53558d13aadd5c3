import type { ContainerInspectInfo } from 'dockerode'
import { describe, expect, it } from 'vitest'
import { asksForAnAddress, widenedBindings } from '../../../harness/runtime/create/port-bindings.js'

const info = (portBindings: unknown, ports: unknown = {}) =>
  ({ HostConfig: { PortBindings: portBindings }, NetworkSettings: { Ports: ports } }) as unknown as ContainerInspectInfo

describe('port bindings the engine made otherwise than asked (Podman)', () => {
  it('finds a port asked on loopback that the engine published on every interface', () => {
    const asked = {
      '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '9000/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }],
    }
    expect(asksForAnAddress(asked)).toBe(true)
    expect(asksForAnAddress({ '9000/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] })).toBe(false)
    expect(
      widenedBindings(
        asked,
        info(asked, {
          '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '46021' }],
          '9000/tcp': [{ HostIp: '0.0.0.0', HostPort: '46022' }],
        }),
      ),
    ).toEqual(['8080/tcp'])
    expect(widenedBindings(asked, info(asked, { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '46021' }] }))).toEqual(
      [],
    )
  })
})
