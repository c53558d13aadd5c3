import { resolve } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { Compose } from '../../harness/index.js'
import { connectEngine } from '../../harness/runtime/engine/engine.js'
import { uniqueProjectName } from './support/test-projects.js'

// The echo pair built from its Dockerfiles under the names Compose gives them (no `image:`).
const FILE = resolve('fixtures/remote-engine/compose.yml')

/** The tags on the engine that start with `prefix`, sorted. */
async function tagsOf(prefix: string): Promise<string[]> {
  const images = await (await connectEngine()).container.dockerode.listImages()
  return images
    .flatMap((i) => i.RepoTags ?? [])
    .filter((t) => t.startsWith(prefix))
    .sort()
}

describe.skipIf(!inject('engineReady'))('images of a throwaway project', () => {
  it('go with it: the tags built under its own name are removed when it is disposed of, and the next build is served by the cache', async () => {
    const first = uniqueProjectName('tags')
    {
      await using started = await Compose.fromFiles(FILE)
        .withProjectName(first)
        .up({ services: ['echo-server'] })
      expect(started.name).toBe(first)
      expect(await tagsOf(`${first}-`)).toEqual([`${first}-echo-server:latest`])
    }
    expect(await tagsOf(`${first}-`)).toEqual([])
    const second = uniqueProjectName('tags')
    const lines: string[] = []
    {
      await using _ = await Compose.fromFiles(FILE)
        .withProjectName(second)
        .up({
          services: ['echo-server'],
          onBuild: (e) => {
            if (e.kind === 'step') lines.push(e.line)
          },
        })
    }
    // The image was removed, its layers were not: the package installation is not run again.
    expect(lines.join('\n')).toMatch(/CACHED/)
    expect(lines.join('\n')).not.toMatch(/Setting up socat/)
    expect(await tagsOf(`${second}-`)).toEqual([])
  })

  it('go with it when the classic builder built them, though they carry no project label (as v2 gives that builder)', async () => {
    const project = uniqueProjectName('tags-classic')
    const docker = (await connectEngine()).container.dockerode
    const before = process.env.DOCKER_BUILDKIT
    process.env.DOCKER_BUILDKIT = '0'
    // The steps' images the classic builder keeps as its cache: removed at the end, the spec's own.
    const steps: string[] = []
    try {
      {
        await using started = await Compose.fromFiles(FILE)
          .withProjectName(project)
          .up({ services: ['echo-server'], build: 'always' })
        expect(started.name).toBe(project)
        const image = await docker.getImage(`${project}-echo-server`).inspect()
        expect(image.Config.Labels).toEqual(expect.objectContaining({ 'com.docker.compose.image.builder': 'classic' }))
        expect(image.Config.Labels?.['com.docker.compose.project']).toBeUndefined()
        // Up to the base image (tagged, never the spec's to remove).
        for (let parent = await docker.getImage(image.Parent).inspect(); !parent.RepoTags?.length;) {
          steps.push(parent.Id)
          parent = await docker.getImage(parent.Parent).inspect()
        }
        expect(await tagsOf(`${project}-`)).toEqual([`${project}-echo-server:latest`])
      }
      expect(await tagsOf(`${project}-`)).toEqual([])
    } finally {
      if (before === undefined) delete process.env.DOCKER_BUILDKIT
      else process.env.DOCKER_BUILDKIT = before
      // The step nearest the image first: an image goes only once no other is built on it.
      for (const id of steps)
        await docker
          .getImage(id)
          .remove()
          .catch(() => undefined)
    }
  })
})
