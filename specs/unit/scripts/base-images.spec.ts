import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a script of provisioning, plain JavaScript without types
import { baseImages, debianSuite, dockerfilesUnder } from '../../../scripts/provision/base-images.mjs'

describe("the repository's Dockerfiles, as provisioning reads them", () => {
  it('start FROM images provisioning can make without a registry: Debian suites, made with debootstrap', () => {
    const images = [...(baseImages(dockerfilesUnder(resolve('.'))) as Map<string, string[]>)]
    expect(images.length).toBeGreaterThan(0)
    // An image the test run builds itself, or a named context, is no base image: write it in a compose file's build.
    expect(images.filter(([image]) => !(debianSuite(image.replace(/:latest$/, '')) as string | undefined))).toEqual([])
  })
})
