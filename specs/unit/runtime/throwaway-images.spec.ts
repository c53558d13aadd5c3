import { describe, expect, it } from 'vitest'
import { throwawayImages } from '../../../harness/runtime/images/throwaway-images.js'
import { loadInline } from '../support/load-inline.js'

describe('throwawayImages', () => {
  it("names the images built under the project's own name only: not a tag the file gives, not a pulled image", () => {
    const { project } = loadInline(
      `
services:
  api: { build: . }
  worker: { build: ., image: registry.local/worker:test }
  db: { image: postgres }
  cache: { build: { context: ., tags: [cache:extra] } }
`,
      { projectName: 'demo' },
    )
    expect(throwawayImages(project).sort()).toEqual(['demo-api', 'demo-cache'])
  })
})
