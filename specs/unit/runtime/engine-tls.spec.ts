import { describe, expect, it } from 'vitest'
import { certDirectory, tlsFiles } from '../../../harness/runtime/engine/engine-tls.js'

const CONFIG = '/home/u/.docker'
const none = () => false
const all = () => true

describe('the TLS the docker CLI’s flags and variables ask for, as Compose v2 takes them', () => {
  it('is off without --tls, --tlsverify, DOCKER_TLS_VERIFY or DOCKER_TLS', () => {
    expect(tlsFiles({}, {}, all, CONFIG)).toBeUndefined()
    expect(tlsFiles({ caFile: '/c/ca.pem' }, {}, all, CONFIG)).toBeUndefined()
    expect(tlsFiles({}, { DOCKER_TLS_VERIFY: '' }, all, CONFIG)).toBeUndefined()
  })

  it('takes any non-empty DOCKER_TLS_VERIFY as on, with the files of DOCKER_CERT_PATH, else the config directory', () => {
    expect(tlsFiles({}, { DOCKER_TLS_VERIFY: 'false', DOCKER_CERT_PATH: '/certs' }, all, CONFIG)).toEqual({
      ca: '/certs/ca.pem',
      cert: '/certs/cert.pem',
      key: '/certs/key.pem',
      verify: true,
    })
    expect(tlsFiles({ verify: true }, {}, all, CONFIG)).toEqual({
      ca: `${CONFIG}/ca.pem`,
      cert: `${CONFIG}/cert.pem`,
      key: `${CONFIG}/key.pem`,
      verify: true,
    })
  })

  it('keeps the CA whether it is there or not, and leaves out a default certificate or key that is not', () => {
    expect(tlsFiles({ verify: true }, {}, none, CONFIG)).toEqual({ ca: `${CONFIG}/ca.pem`, verify: true })
    expect(tlsFiles({ verify: true, certFile: '/x/c.crt', keyFile: '/x/c.key' }, {}, none, CONFIG)).toEqual({
      ca: `${CONFIG}/ca.pem`,
      cert: '/x/c.crt',
      key: '/x/c.key',
      verify: true,
    })
  })

  it('--tls alone, or --tlsverify=false over DOCKER_TLS_VERIFY, is TLS without checking the engine', () => {
    expect(tlsFiles({ tls: true }, {}, all, CONFIG)?.verify).toBe(false)
    expect(tlsFiles({ verify: false }, { DOCKER_TLS_VERIFY: '1' }, all, CONFIG)?.verify).toBe(false)
    expect(tlsFiles({}, { DOCKER_TLS: '1' }, all, CONFIG)?.verify).toBe(false)
  })
})

describe('the directory the engine’s client reads ca.pem, cert.pem and key.pem from', () => {
  it('is the files’ own directory when they are those three of one directory', () => {
    expect(certDirectory({ ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' }, '/cache')).toEqual({
      dir: '/certs',
    })
  })

  it('else a directory of links named after the files, the same for the same files', () => {
    const files = { ca: '/pki/engine-ca.crt', cert: '/pki/client.crt', key: '/keys/client.key' }
    const linked = certDirectory(files, '/cache')
    expect(linked.dir).toMatch(/^\/cache\/[0-9a-f]{16}$/)
    expect(linked.links).toEqual({ 'ca.pem': files.ca, 'cert.pem': files.cert, 'key.pem': files.key })
    expect(certDirectory(files, '/cache').dir).toBe(linked.dir)
    expect(certDirectory({ ...files, key: '/keys/other.key' }, '/cache').dir).not.toBe(linked.dir)
    expect(certDirectory({ ca: '/a/ca.pem', cert: '/a/cert.pem', key: '/b/key.pem' }, '/cache').links).toBeDefined()
  })
})
