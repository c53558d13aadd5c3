import { join, resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { runCli } from '../../support/cli.js'
import { imageExists, leftOf } from '../support/observe.js'
import { uniqueProjectName } from '../support/test-projects.js'

const FILE = join(resolve('fixtures/conformance/down-rmi'), 'compose.yml')

type Run = (args: readonly string[]) => Promise<{ code: number; stderr: string }>

/** What a `down --rmi` did: its exit code, its images' progress lines (sorted, the project neutral), and which of the project's images are left. */
async function downImages(run: Run, project: string, args: readonly string[]) {
  const { code, stderr } = await run(['--progress', 'plain', ...args])
  const lines = stderr
    .split('\n')
    .filter((l) => /^ Image /.test(l))
    .map((l) => l.trim().replace(/\s+/g, ' ').replaceAll(project, 'P'))
    .sort()
  const images = [`${project}-built`, `${project}-custom:dev`, `${project}-named:1`]
  const left = await Promise.all(images.map(async (i) => ((await imageExists(i)) ? [i.replace(project, 'P')] : [])))
  return { code, lines, left: left.flat() }
}

// Each tool on a project of its own, built from the same files: the same images removed, the same
// ones said to be still in use, whatever services `down` is given, as Compose v2's pruner picks them.
describe.skipIf(!inject('engineReady'))('down --rmi, against Compose v2', () => {
  it('local, then all: the images built for the services named, then those the files name too; one still in use stays', async () => {
    const base = uniqueProjectName('conf-rmi')
    const projects = [`${base}-h`, `${base}-r`] as const
    const docker = (await connectEngine()).container.dockerode
    // `-p NAME` alone (byName): the project as its containers' labels describe it, images included.
    const toolsFor = (byName: boolean): Run[] => {
      const files = byName ? [] : ['-f', FILE]
      return [
        (a) => runCli(['-p', projects[0], ...files, ...a], { timeoutMs: 120_000 }),
        (a) => runReference(referenceCompose(), ['-p', projects[1], ...files, ...a], { timeoutMs: 120_000 }),
      ]
    }
    const tools = toolsFor(false)
    const both = async (args: readonly string[], byName = false) => {
      const runs = toolsFor(byName)
      const [ours, theirs] = await Promise.all(runs.map((run, i) => downImages(run, projects[i]!, args)))
      return [ours!, theirs!] as const
    }
    try {
      for (const project of projects)
        await docker.getImage('compose-harness-probe').tag({ repo: `${project}-named`, tag: '1' })
      const ups = await Promise.all(tools.map((run) => run(['up', '-d'])))
      expect(
        ups.map((u) => u.code),
        ups.map((u) => u.stderr).join('\n'),
      ).toEqual([0, 0])
      // The images of the services named and of their dependencies weigh: custom's goes; built's,
      // which its container (left running) uses, is said to be in use and stays.
      const [oursLocal, theirsLocal] = await both(['down', '-t', '0', '--rmi', 'local', 'custom'])
      expect(theirsLocal.lines).toContain('Image P-built:latest Resource is still in use')
      expect(theirsLocal.left).toEqual(['P-built', 'P-named:1'])
      expect(oursLocal).toEqual(theirsLocal)
      // A tag of an image that twin still runs is untagged all the same.
      const [oursTag, theirsTag] = await both(['down', '-t', '0', '--rmi', 'all', 'named'])
      expect(theirsTag.left).toEqual(['P-built'])
      expect(oursTag).toEqual(theirsTag)
      // By name: each service's image is the one its containers run, and the labelled ones go too.
      const [oursAll, theirsAll] = await both(['down', '-t', '0', '--rmi', 'all'], true)
      expect(theirsAll.left).toEqual([])
      expect(oursAll).toEqual(theirsAll)
    } finally {
      await Promise.all(tools.map((run) => run(['down', '-t', '0'])))
      for (const project of projects)
        for (const image of [`${project}-built`, `${project}-custom:dev`, `${project}-named:1`])
          await docker
            .getImage(image)
            .remove()
            .catch(() => undefined)
    }
    expect([...(await leftOf(projects[0])), ...(await leftOf(projects[1]))]).toEqual([])
  }, 300_000)
})
