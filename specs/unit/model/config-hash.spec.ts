import { describe, expect, it } from 'vitest'
import { configHash } from '../../../harness/model/project/config-hash.js'
import { loadInline } from '../support/load-inline.js'

const web = (extra: string) =>
  loadInline(`services:\n  web:\n    image: w\n${extra}  db:\n    image: d\n`).project.services.web!

describe('configHash', () => {
  it('is the same for the same configuration, whatever the key order', () => {
    expect(configHash(web('    environment: {A: "1", B: "2"}\n'))).toBe(
      configHash(web('    environment: {B: "2", A: "1"}\n')),
    )
  })

  it('changes when what the container runs with changes', () => {
    expect(configHash(web('    environment: {A: "1"}\n'))).not.toBe(configHash(web('    environment: {A: "2"}\n')))
    expect(configHash(web('    command: a b\n'))).not.toBe(configHash(web('    command: [a, c]\n')))
  })

  it('is the same for a command written as a string or as the list of its words, as in Compose v2', () => {
    expect(configHash(web('    command: a "b c"\n'))).toBe(configHash(web('    command: [a, b c]\n')))
  })

  it('ignores how the image is built and when the service starts', () => {
    expect(configHash(web('    build: ./other\n    depends_on: [db]\n'))).toBe(configHash(web('')))
  })
})
