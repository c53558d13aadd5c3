import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { Compose } from '../../harness/index.js'
import { leftOf } from './support/observe.js'
import { uniqueProjectName } from './support/test-projects.js'

// Secrets and configs outside Swarm, as the container sees them: the same files, contents, modes
// and owners with Compose v2 and with the harness. (The conformance suite compares the binds; the
// files written into the container from environment variables and content are checked here.)
const FILE = resolve('fixtures/conformance/containers/secrets-configs/compose.yml')
const PATHS = ['/run/secrets/db_password', '/run/secrets/token', '/app_config', '/etc/greeting.conf']
const SHOW = `for f in ${PATHS.join(' ')}; do echo "$f $(stat -c '%a %u %g' $f) $(cat $f)"; done`

describe.skipIf(!inject('engineReady'))('secrets and configs', () => {
  it('land where Compose v2 puts them, with its contents, modes and owners', async () => {
    const project = uniqueProjectName('secrets')
    const reference = [...referenceCompose(), '-f', FILE, '-p', `${project}-r`]
    const run = (args: string[]) => runReference(reference, args, { timeoutMs: 60_000 })
    let fromV2: string
    try {
      expect((await run(['up', '-d'])).code).toBe(0)
      fromV2 = (await run(['exec', '-T', 'app', 'sh', '-c', SHOW])).stdout
    } finally {
      await run(['down', '-t', '0'])
    }
    await using started = await Compose.fromFiles(FILE).withProjectName(`${project}-h`).up()
    const { stdout: fromHarness } = await started.service('app').exec(['sh', '-c', SHOW])
    expect(fromHarness).toBe(fromV2)
    expect(fromHarness).toContain('/run/secrets/token 400 1000 1000 token-from-env')
    expect(fromHarness).toContain('/etc/greeting.conf 440 0 0 greeting = hello')
    await started.down()
    expect([...(await leftOf(`${project}-h`)), ...(await leftOf(`${project}-r`))]).toEqual([])
  })

  it('refuse at up a secret whose variable is not set, naming it, before anything starts', async () => {
    const project = uniqueProjectName('secrets-unset')
    const compose = Compose.fromFiles(FILE)
      .withProjectName(project)
      .withOverride({ secrets: { api_token: { environment: 'COMPOSE_HARNESS_SPEC_UNSET' } } })
    await expect(compose.up()).rejects.toThrow(
      /services\.app\.secrets\[1\]: secrets\.api_token comes from the environment variable COMPOSE_HARNESS_SPEC_UNSET, which is not set/,
    )
    expect(await leftOf(project)).toEqual([])
  })
})
