import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { referenceCompose, runReference } from '../../harness/conformance/reference-compose.js'
import { leftOf } from './support/observe.js'
import { ECHO_BUILD_FILE, ECHO_FILE, uniqueProjectName } from './support/test-projects.js'

/** Compose v2, the reference (provisioning fetches it where the machine has none). */
const composeCli = async (args: string[]) => {
  const run = await runReference(referenceCompose(), args, { timeoutMs: 60_000 })
  if (run.code !== 0) throw new Error(`docker compose ${args.join(' ')} failed (${run.code}): ${run.stderr}`)
  return run
}

/** Polls the CLI's logs of a service until `pattern` shows up, within `timeoutMs`. */
async function waitForCliLog(args: string[], pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs
  let output = ''
  while (Date.now() < deadline) {
    output = (await composeCli(args)).stdout
    if (pattern.test(output)) return output
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no ${pattern} in the logs within ${timeoutMs} ms:\n${output}`)
}

describe.skipIf(!inject('engineReady'))('Compose v2 and the harness', () => {
  it('run the same pair of files: Compose v2 builds and runs the echo example from them', async () => {
    const project = uniqueProjectName('v2-pair')
    const files = ['-p', project, '-f', ECHO_FILE, '-f', ECHO_BUILD_FILE]
    try {
      await composeCli([...files, 'up', '-d'])
      await waitForCliLog([...files, 'logs', '--no-color', 'client'], /\| Received: Hello, world/, 20_000)
    } finally {
      await composeCli([...files, 'down', '-t', '1'])
    }
    expect(await leftOf(project)).toEqual([])
  })

  it('share their labels: Compose v2 lists and removes what the harness started', async () => {
    const compose = Compose.fromFiles(ECHO_FILE).withProjectName(uniqueProjectName('v2-labels'))
    await using project = await compose.up()
    const files = ['-p', project.name, '-f', ECHO_FILE]
    const { stdout } = await composeCli([...files, 'ps'])
    expect(stdout).toMatch(new RegExp(`^${project.name}-client-1 .* Up`, 'm'))
    expect(stdout).toMatch(new RegExp(`^${project.name}-echo-server-1 .* Up`, 'm'))
    await composeCli([...files, 'down', '-t', '1'])
    expect(await leftOf(project.name)).toEqual([])
  })
})
