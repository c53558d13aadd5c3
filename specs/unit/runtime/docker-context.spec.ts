import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ContextNotFoundError, currentContextEndpoint } from '../../../harness/runtime/engine/docker-context.js'
import { writeDockerContext } from '../../support/docker-contexts.js'

let config = ''
beforeEach(() => {
  config = mkdtempSync(join(tmpdir(), 'docker-config-'))
})
afterEach(() => rmSync(config, { recursive: true, force: true }))

/** A context as `docker context create NAME --docker host=HOST` stores it (with an empty CA file when `tls`). */
const createContext = (name: string, host: string, tls = false, skipTlsVerify = false) =>
  writeDockerContext(config, name, host, { ...(tls && { tls: { 'ca.pem': '' } }), skipTlsVerify })

describe('the Docker context in use', () => {
  it('is the one config.json names, with its endpoint', () => {
    createContext('staging', 'tcp://staging.internal:2375')
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'staging' }))
    expect(currentContextEndpoint({ DOCKER_CONFIG: config })).toEqual({
      context: 'staging',
      host: 'tcp://staging.internal:2375',
    })
  })

  it('is DOCKER_CONTEXT over config.json, with its TLS files when it has them', () => {
    createContext('staging', 'tcp://staging.internal:2375')
    const certs = createContext('secure', 'tcp://secure.internal:2376', true)
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'staging' }))
    expect(currentContextEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'secure' })).toEqual({
      context: 'secure',
      host: 'tcp://secure.internal:2376',
      certPath: certs,
    })
  })

  it('says when the context does not check the engine’s certificate (skip-tls-verify)', () => {
    const certs = createContext('lax', 'tcp://lax.internal:2376', true, true)
    expect(currentContextEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'lax' })).toEqual({
      context: 'lax',
      host: 'tcp://lax.internal:2376',
      certPath: certs,
      skipTlsVerify: true,
    })
  })

  it('is none for the default context or a missing config', () => {
    expect(currentContextEndpoint({ DOCKER_CONFIG: config })).toBeUndefined()
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'default' }))
    expect(currentContextEndpoint({ DOCKER_CONFIG: config })).toBeUndefined()
    expect(currentContextEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'default' })).toBeUndefined()
  })

  it('refuses a context the docker CLI does not have, as Compose v2 does, rather than use another engine', () => {
    expect(() => currentContextEndpoint({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'gone' })).toThrow(
      new ContextNotFoundError('gone', 'DOCKER_CONTEXT (or --context)', join(config, 'contexts')),
    )
    writeFileSync(join(config, 'config.json'), JSON.stringify({ currentContext: 'removed' }))
    expect(() => currentContextEndpoint({ DOCKER_CONFIG: config })).toThrow(
      `Docker context "removed" not found: currentContext in ${join(config, 'config.json')} names it`,
    )
  })
})
