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
})
