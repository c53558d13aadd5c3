import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { compareImages } from '../../../harness/conformance/compare-images.js'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding } from '../../../harness/conformance/findings.js'
import { referenceCompose } from '../../../harness/conformance/reference-compose.js'
import { caseFolders, caseIn } from '../../unit/support/conformance-cases.js'
import { caseRunsHere } from '../support/case-engine.js'
import { leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

/** A key for `build.ssh` (the `ssh` case), made for this run: no key is kept in the repository, nor left in the temporary directory. */
function sshKey(): string {
  const key = join(mkdtempSync(join(tmpdir(), 'conformance-ssh-')), 'id_ed25519')
  const made = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'conformance-deploy-key', '-f', key])
  if (made.status !== 0) throw new Error(`ssh-keygen failed: ${String(made.stderr)}`)
  return key
}

describe.skipIf(!inject('engineReady'))('images, against Compose v2', () => {
  const reference = referenceCompose()
  const environment = { BUILD_SSH_KEY: sshKey() }
  afterAll(() => rmSync(dirname(environment.BUILD_SSH_KEY), { recursive: true, force: true }))

  it.concurrent.each(caseFolders('fixtures/conformance/images'))(
    '%s: build gives the same images, file for file',
    async (name, dir) => {
      const base = uniqueProjectName(`img-${name}`)
      const findings = await compareImages(caseIn(dir, environment), reference, base, await caseRunsHere(dir))
      expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding)).toEqual([])
      expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
    },
    180_000,
  )
})
