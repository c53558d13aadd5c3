import { describe, expect, inject, it } from 'vitest'
import { compareContainers } from '../../../harness/conformance/compare-containers.js'
import { divergenceOf } from '../../../harness/conformance/divergences.js'
import { formatFinding } from '../../../harness/conformance/findings.js'
import { referenceCompose } from '../../../harness/conformance/reference-compose.js'
import { caseFolders, caseIn } from '../../unit/support/conformance-cases.js'
import { caseRunsHere } from '../support/case-engine.js'
import { leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

describe.skipIf(!inject('engineReady'))('containers, against Compose v2', () => {
  const reference = referenceCompose()

  it.concurrent.each(caseFolders('fixtures/conformance/containers'))(
    '%s: up -d gives the same containers, networks and volumes',
    async (name, dir) => {
      const base = uniqueProjectName(`conf-${name}`)
      const findings = await compareContainers(caseIn(dir), reference, base, await caseRunsHere(dir))
      expect(findings.filter((f) => !divergenceOf(f)).map(formatFinding)).toEqual([])
      expect([...(await leftOf(`${base}-h`)), ...(await leftOf(`${base}-r`))]).toEqual([])
    },
  )
})
