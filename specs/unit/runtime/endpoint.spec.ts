import type { ContainerInspectInfo } from 'dockerode'
import { describe, expect, it } from 'vitest'
import { endpointOf, publishedHost } from '../../../harness/runtime/engine/endpoint.js'

const inspected = (ports: Record<string, { HostIp: string; HostPort: string }[] | null>, address = '172.18.0.5') =>
  ({
    NetworkSettings: { Ports: ports, Networks: { project_default: { IPAddress: address } } },
  }) as unknown as ContainerInspectInfo

describe('endpointOf', () => {
  it('goes through the published port when the port has one', () => {
    expect(
      endpointOf(inspected({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '49153' }] }), 8080, '172.17.0.1'),
    ).toEqual({ host: '127.0.0.1', port: 49153 })
    expect(
      endpointOf(inspected({ '8080/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }), 8080, 'docker.example'),
    ).toEqual({ host: 'docker.example', port: 8080 })
  })

  it("goes to the container's own address for a port that is only exposed", () => {
    expect(endpointOf(inspected({ '2000/tcp': null }), 2000, 'localhost')).toEqual({ host: '172.18.0.5', port: 2000 })
    expect(endpointOf(inspected({}), 2000, 'localhost')).toEqual({ host: '172.18.0.5', port: 2000 })
  })
})

describe('publishedHost', () => {
  it("answers with the engine's host for every-interface bindings, as IPv4 when that host is localhost", () => {
    expect(['', '0.0.0.0', '::', undefined].map((ip) => publishedHost(ip, 'localhost'))).toEqual(
      Array(4).fill('127.0.0.1'),
    )
    expect(publishedHost('0.0.0.0', '10.0.0.9')).toBe('10.0.0.9')
  })

  it("answers with the binding's own address otherwise, loopback included, whatever the engine's host is guessed to be", () => {
    expect(publishedHost('127.0.0.2', 'localhost')).toBe('127.0.0.2')
    expect(publishedHost('127.0.0.1', '172.17.0.1')).toBe('127.0.0.1')
    expect(publishedHost('192.168.1.20', 'localhost')).toBe('192.168.1.20')
  })
})
