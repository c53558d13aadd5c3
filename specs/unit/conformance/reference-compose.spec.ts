import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { compareModels } from '../../../harness/conformance/compare-model.js'
import {
  REFERENCE_MINIMUM,
  cliPluginDirs,
  findReferenceCompose,
  referenceCompose,
} from '../../../harness/conformance/reference-compose.js'
import { older } from '../../../harness/runtime/create/engine-limits.js'

// The reference as a user installs it by hand: Docker's CLI plugin in ~/.docker/cli-plugins.
const installed = referenceCompose()[0]!
const home = mkdtempSync(join(tmpdir(), 'reference-home-'))
const plugin = join(home, '.docker', 'cli-plugins', 'docker-compose')
mkdirSync(join(home, '.docker', 'cli-plugins'), { recursive: true })
copyFileSync(installed, plugin)
chmodSync(plugin, 0o755)
/** An environment that finds only what `home` and the system have: no variable names a reference. */
const userEnv = { PATH: '/usr/bin:/bin', HOME: home }

afterAll(() => rmSync(home, { recursive: true, force: true }))

describe('the reference Compose', () => {
  it('is found where `docker compose` finds its plugin, and resolved to that binary', () => {
    expect(cliPluginDirs(userEnv)[0]).toBe(join(home, '.docker', 'cli-plugins'))
    const found = findReferenceCompose(userEnv)
    expect(found.command).toEqual([plugin])
    expect(older(found.command ? found.version : '0', REFERENCE_MINIMUM)).toBe(false)
  })

  it('runs the same under the environment a case gives it, where HOME has no plugin', async () => {
    const reference = findReferenceCompose(userEnv).command!
    const findings = await compareModels(
      {
        files: [resolve('fixtures/echo/docker-compose.yml')],
        environment: { PATH: '/usr/bin:/bin', HOME: '/home/tester' },
      },
      reference,
    )
    expect(findings).toEqual([])
  })

  it('passes over a Compose older than the minimum, unless COMPOSE_HARNESS_REFERENCE names it', () => {
    const old = mkdtempSync(join(tmpdir(), 'reference-old-'))
    const fake = join(old, '.docker', 'cli-plugins', 'docker-compose')
    mkdirSync(join(old, '.docker', 'cli-plugins'), { recursive: true })
    writeFileSync(fake, '#!/bin/sh\necho 2.26.1\n', { mode: 0o755 })
    try {
      const passedOver = findReferenceCompose({ PATH: '/usr/bin:/bin', HOME: old })
      expect(passedOver).toEqual({
        why: `${fake}: version 2.26.1; the reference is Compose ${REFERENCE_MINIMUM} or newer`,
      })
      const named = findReferenceCompose({ PATH: '/usr/bin:/bin', HOME: old, COMPOSE_HARNESS_REFERENCE: fake })
      expect(named).toEqual({ command: [fake], version: '2.26.1' })
    } finally {
      rmSync(old, { recursive: true, force: true })
    }
  })

  it('says what it tried and why none will do', () => {
    const found = findReferenceCompose({
      PATH: '/nonexistent',
      HOME: '/nonexistent',
      COMPOSE_HARNESS_REFERENCE: '/nonexistent/compose',
    })
    expect(found).toEqual({
      why: `/nonexistent/compose: does not run; the reference is Compose ${REFERENCE_MINIMUM} or newer`,
    })
  })

  it('compares versions part by part', () => {
    expect(older('2.40.3-3', '2.40.0')).toBe(false)
    expect(older('2.40.0', '2.40.0')).toBe(false)
    expect(older('2.26.1-4', '2.40.0')).toBe(true)
    expect(older('2.100.0', '2.40.0')).toBe(false)
    expect(older('v5.0.1'.replace(/^v/, ''), '2.40.0')).toBe(false)
    expect(older('1.41', '1.43')).toBe(true)
    expect(older('1.51', '1.48')).toBe(false)
  })
})
