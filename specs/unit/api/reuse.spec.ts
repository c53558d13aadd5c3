import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { propertyValue, reuseKey, reuseRequested, testcontainersProperties } from '../../../harness/api/reuse.js'

const ON = 'testcontainers.reuse.enable=true\n'

describe('whether a project is reused', () => {
  it('is off unless something says so', () => {
    expect(reuseRequested(undefined, {}, undefined)).toBe(false)
    expect(reuseRequested(undefined, {}, 'docker.host=tcp://127.0.0.1:2375\n')).toBe(false)
  })

  it('is on when the code, the harness’s variable or Testcontainers’ property says so', () => {
    expect(reuseRequested(true, {}, undefined)).toBe(true)
    expect(reuseRequested(undefined, { COMPOSE_HARNESS_REUSE: 'true' }, undefined)).toBe(true)
    expect(reuseRequested(undefined, {}, ON)).toBe(true)
  })

  it('is off whatever else says when the code says false (the CLI), or an environment variable does', () => {
    expect(reuseRequested(false, { COMPOSE_HARNESS_REUSE: 'true' }, ON)).toBe(false)
    expect(reuseRequested(true, { COMPOSE_HARNESS_REUSE: 'false' }, ON)).toBe(false)
    expect(reuseRequested(true, { TESTCONTAINERS_REUSE_ENABLE: 'false' }, ON)).toBe(false)
    expect(reuseRequested(undefined, { COMPOSE_HARNESS_REUSE: ' FALSE ' }, ON)).toBe(false)
  })

  it('reads the property as Java properties are written', () => {
    expect(propertyValue('# reuse\ntestcontainers.reuse.enable = true\n', 'testcontainers.reuse.enable')).toBe('true')
    expect(propertyValue('testcontainers.reuse.enable: false', 'testcontainers.reuse.enable')).toBe('false')
    expect(propertyValue('testcontainers.reuse.enable true', 'testcontainers.reuse.enable')).toBe('true')
    expect(propertyValue('! testcontainers.reuse.enable=true', 'testcontainers.reuse.enable')).toBeUndefined()
    expect(
      propertyValue(
        'a=1\r\ntestcontainers.reuse.enable=false\r\ntestcontainers.reuse.enable=true',
        'testcontainers.reuse.enable',
      ),
    ).toBe('true')
  })

  it('reads ~/.testcontainers.properties, and nothing where there is none', () => {
    const home = mkdtempSync(join(tmpdir(), 'reuse-home-'))
    expect(testcontainersProperties(home)).toBeUndefined()
    writeFileSync(join(home, '.testcontainers.properties'), ON)
    expect(testcontainersProperties(home)).toBe(ON)
  })

  it('names a project after what defines it: the same definition the same name, any difference another', () => {
    const one = { files: ['/a/compose.yml'], override: { x: 1 } }
    expect(reuseKey(one)).toMatch(/^[0-9a-f]{10}$/)
    expect(reuseKey({ files: ['/a/compose.yml'], override: { x: 1 } })).toBe(reuseKey(one))
    expect(reuseKey({ files: ['/b/compose.yml'], override: { x: 1 } })).not.toBe(reuseKey(one))
    expect(reuseKey({ files: ['/a/compose.yml'], override: { x: 2 } })).not.toBe(reuseKey(one))
  })
})
