import { describe, expect, it } from 'vitest'
import { parseComposeDocuments } from '../../../harness/model/document/parse.js'
import { loadInline, problemsOf } from '../support/load-inline.js'

describe('parseComposeDocuments', () => {
  it('reports invalid YAML with its file, line and column', () => {
    expect(problemsOf('services:\n  web:\n    image: a: b\n')[0]).toMatch(/^compose\.yml:3:\d+: invalid YAML: /)
  })

  it('reports a key written twice in one mapping', () => {
    expect(problemsOf('services:\n  web:\n    image: a\n    image: b\n')).toEqual([
      'compose.yml:4:5: invalid YAML: Map keys must be unique',
    ])
  })

  it('refuses a file that is not a mapping at the top level', () => {
    expect(problemsOf('- web\n')).toEqual(['compose.yml: a compose file must be a mapping at the top level'])
  })

  it('resolves anchors and merge keys as Compose does', () => {
    const [parsed] = parseComposeDocuments(
      'c.yml',
      'x-base: &base\n  image: base\nservices:\n  web:\n    <<: *base\n    expose: ["80"]\n',
    )
    expect(parsed!.value.services).toEqual({ web: { image: 'base', expose: ['80'] } })
  })

  it('refuses a file whose aliases expand without bound', () => {
    const levels = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 8 },
        (_, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`,
      ),
    ]
    expect(problemsOf(`x-bomb:\n${levels.map((l) => `  ${l}`).join('\n')}\nservices:\n  web:\n    image: w\n`)).toEqual(
      [
        'compose.yml: the file expands to more than 16 MB once its YAML aliases are resolved: refused, as a bomb of aliases would exhaust memory',
      ],
    )
  })

  it('finds where a key was written, or nothing when the file does not set it', () => {
    const [parsed] = parseComposeDocuments('c.yml', 'services:\n  web:\n    links:\n      - db:database\n')
    expect(parsed!.find(['services', 'web', 'links'])).toEqual({ file: 'c.yml', line: 3, col: 5 })
    expect(parsed!.find(['services', 'web', 'links', 0])).toEqual({ file: 'c.yml', line: 4, col: 9 })
    expect(parsed!.find(['services', 'db'])).toBeUndefined()
  })

  it('takes each document of a file as a file of its own, merged in order, as Compose v2 does', () => {
    const text = '---\nservices:\n  web:\n    image: a\n...\n---\nservices:\n  web:\n    environment: [A=1]\n---\n{}\n'
    const documents = parseComposeDocuments('c.yml', text)
    expect(documents.map((d) => d.value)).toEqual([
      { services: { web: { image: 'a' } } },
      { services: { web: { environment: ['A=1'] } } },
      {},
    ])
    expect(documents[1]!.find(['services', 'web', 'environment'])).toEqual({ file: 'c.yml', line: 9, col: 5 })
    const merged = loadInline('services:\n  web:\n    image: a\n---\nservices:\n  web:\n    environment: [A=1]\n')
    expect([merged.project.services.web?.image, merged.project.services.web?.environment]).toEqual(['a', { A: '1' }])
  })

  it('refuses a document that is empty or not a mapping, naming it, and a file of empty documents', () => {
    expect(problemsOf('services:\n  web:\n    image: a\n---\n')).toEqual([
      'compose.yml:4:4: document 2 of the file is empty: each document of a compose file must be a mapping at the top level',
    ])
    expect(problemsOf('services:\n  web:\n    image: a\n---\n- web\n')).toEqual([
      'compose.yml:5:1: document 2 of the file is a list: each document of a compose file must be a mapping at the top level',
    ])
    expect(problemsOf('{}\n---\n{}\n')).toEqual(['compose.yml: empty compose file'])
  })

  it('places a syntax error of any document on its line', () => {
    expect(problemsOf('services:\n  web:\n    image: a\n---\nservices:\n  web:\n    image: a: b\n')[0]).toMatch(
      /^compose\.yml:7:\d+: invalid YAML: /,
    )
  })
})
