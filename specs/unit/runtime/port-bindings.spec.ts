import type { ContainerInspectInfo } from 'dockerode'
import { describe, expect, it } from 'vitest'
import {
  asksForAnAddress,
  listedButUnbound,
  unboundPortsAdvice,
  widenedBindings,
} from '../../../harness/runtime/create/port-bindings.js'

const info = (portBindings: unknown, ports: unknown = {}) =>
  ({ HostConfig: { PortBindings: portBindings }, NetworkSettings: { Ports: ports } }) as unknown as ContainerInspectInfo

describe('port bindings the engine made otherwise than asked (Podman)', () => {
  it('finds ports listed among the bindings without a host port, as Podman lists an exposed port', () => {
    expect(listedButUnbound(info({ '2000/tcp': null, '8080/tcp': [{ HostIp: '', HostPort: '49153' }] }))).toEqual([
      '2000/tcp',
    ])
    expect(listedButUnbound(info({ '8080/tcp': [{ HostIp: '', HostPort: '49153' }] }))).toEqual([])
    expect(listedButUnbound(info(undefined))).toEqual([])
  })

  it('advises publishing the unbound ports, naming them and the engine that does this', () => {
    expect(unboundPortsAdvice(['2000/tcp', '53/udp'])).toMatch(
      /lists 2000\/tcp, 53\/udp .*Podman.*Publish them in the file \(ports: \["2000", "53"\]\)/,
    )
  })

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
