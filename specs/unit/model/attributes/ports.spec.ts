import { describe, expect, it } from 'vitest'
import { webProblems, webService } from '../../support/load-inline.js'

const ports = (list: string) => webService(`ports: ${list}`).ports

describe('ports', () => {
  it('read the short syntax, one entry a container port', () => {
    expect(ports('["3000", "8080:80", "127.0.0.1:8001:8001", "6060:6060/udp", "127.0.0.1::5000"]')).toEqual([
      { target: 3000, protocol: 'tcp', mode: 'ingress' },
      { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
      { target: 8001, published: '8001', hostIp: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
      { target: 6060, published: '6060', protocol: 'udp', mode: 'ingress' },
      { target: 5000, hostIp: '127.0.0.1', protocol: 'tcp', mode: 'ingress' },
    ])
  })

  it('expand ranges, pairing host and container ports', () => {
    expect(ports('["9090-9091:8080-8081", "3000-3001"]').map((p) => `${p.published ?? ''}->${p.target}`)).toEqual([
      '9090->8080',
      '9091->8081',
      '->3000',
      '->3001',
    ])
    expect(ports('["8000-8010:80"]')).toEqual([
      { target: 80, published: '8000-8010', protocol: 'tcp', mode: 'ingress' },
    ])
  })

  it('read an IPv6 host address in brackets, and a bare number', () => {
    expect(ports('["[::1]:6001:6001", 8080]')).toEqual([
      { target: 6001, published: '6001', hostIp: '::1', protocol: 'tcp', mode: 'ingress' },
      { target: 8080, protocol: 'tcp', mode: 'ingress' },
    ])
  })

  it('read the long syntax', () => {
    expect(ports('[{target: 80, published: "8080", host_ip: 127.0.0.1, protocol: udp, mode: host}]')).toEqual([
      { target: 80, published: '8080', hostIp: '127.0.0.1', protocol: 'udp', mode: 'host' },
    ])
  })

  it('report invalid numbers, ranges and protocols', () => {
    expect(webProblems('ports: ["70000:80", "80:0", "1-3:1-2", "80/tcpx", "a:b"]')).toEqual([
      'compose.yml:4:13 services.web.ports[0]: invalid port "70000:80": host ports must be 0 (any) or 1-65535, a range low to high',
      'compose.yml:4:25 services.web.ports[1]: invalid port "80:0": container ports must be 1-65535, a range low to high',
      'compose.yml:4:33 services.web.ports[2]: invalid port "1-3:1-2": the host and container ranges differ in length',
      'compose.yml:4:44 services.web.ports[3]: invalid port "80/tcpx": unknown protocol "tcpx" (expected tcp, udp or sctp)',
      'compose.yml:4:55 services.web.ports[4]: invalid port "a:b": expected [[ip:]host:]container[/protocol], such as "8080:80" or "127.0.0.1:5000-5001:5000-5001/udp"',
    ])
    expect(webProblems('ports: [{target: 0}]')).toEqual([
      'compose.yml:4:14 services.web.ports[0].target: expected a whole number of at least 1, got a number (0)',
    ])
  })
})
