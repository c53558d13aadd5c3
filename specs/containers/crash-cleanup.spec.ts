import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { LABEL, SESSION_LABEL } from '../../harness/runtime/engine/labels.js'
import { eventually } from '../support/eventually.js'
import { leftOf, reapersOf } from './support/observe.js'
import { reaperOfProcess } from './support/reaper-client.js'
import { ECHO_FILE, echoUpInChild, uniqueProjectName } from './support/test-projects.js'

describe.skipIf(!inject('engineReady'))('crash-safe clean-up', () => {
  it('removes every container and network of a run whose process was killed with SIGKILL, within 30 s', async () => {
    const project = uniqueProjectName('sigkill')
    const run = await echoUpInChild(project)
    expect(await leftOf(project)).toEqual(expect.arrayContaining([`/${project}-client-1`, `${project}_default`]))
    run.signal('SIGKILL')
    const left = await eventually(
      () => leftOf(project),
      (l) => l.length === 0,
      30_000,
    )
    expect(left).toEqual([])
  })

  it('removes what a request still under way when the run was killed creates after the first removal', async () => {
    const docker = (await connectEngine()).container.dockerode
    const project = uniqueProjectName('inflight')
    const run = await echoUpInChild(project)
    const reaper = await reaperOfProcess(run.child.pid!)
    run.signal('SIGKILL')
    // The reaper's first pass has removed the run's containers and network…
    const logs = async () => (await docker.getContainer(reaper.id).logs({ stdout: true, stderr: true })).toString()
    expect(await eventually(logs, (l) => /Removed [1-9]/.test(l), 60_000, 100)).toMatch(/Removed [1-9]/)
    // …when the engine finishes a network that the run asked for just before it died.
    await docker.createNetwork({
      Name: `${project}_late`,
      Labels: { [LABEL.project]: project, [SESSION_LABEL]: reaper.session },
    })
    const left = await eventually(
      () => leftOf(project),
      (l) => l.length === 0,
      30_000,
    )
    expect(left).toEqual([])
  })

  it("leaves alone a later run of the same project when the earlier run's reaper does its work", async () => {
    const project = uniqueProjectName('rerun')
    const run = await echoUpInChild(project)
    run.signal('SIGINT')
    expect(await run.exited).toBe(130)
    await using second = await Compose.fromFiles(ECHO_FILE).withProjectName(project).up()
    expect(
      await eventually(
        () => reapersOf(run.child.pid!),
        (r) => r.length === 0,
        30_000,
      ),
    ).toEqual([])
    expect((await second.service('client').inspect()).State.Running).toBe(true)
    expect((await second.service('echo-server').inspect()).State.Running).toBe(true)
  })
})
