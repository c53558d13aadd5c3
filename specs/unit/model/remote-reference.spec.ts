import { describe, expect, it } from 'vitest'
import { loadCompose } from '../../../harness/model/pipeline/load.js'
import { remoteReferences } from '../../../harness/model/merge/remote-reference.js'
import { problemsOf } from '../support/load-inline.js'

// What fetchRemoteFiles hands the model; fetching itself, against a real registry and Compose v2,
// is specs/containers/conformance/publish.spec.ts.
const COPY = '/cache/docker-compose/0123/compose.yaml'
const files: Record<string, string> = {
  [COPY]: 'services:\n  db:\n    image: db:1\n    env_file: ./db.env\n---\nservices:\n  db:\n    command: ["serve"]\n',
  '/cache/docker-compose/0123/db.env': 'ROLE=db\n',
}
const load = (text: string, fetched: Record<string, string> = { 'oci://r/app:1': COPY }) =>
  loadCompose([{ file: '/project/compose.yml', text }], {
    projectDirectory: '/project',
    lookup: () => undefined,
    readText: (path) => files[path],
    fetched,
  })

describe('projects in registries that the files name (oci://…)', () => {
  it('are found where include and extends.file name them, in every document, and nothing else', () => {
    const docs = [
      { include: ['oci://r/a:1', 'local.yml', { path: ['oci://r/b:1', 'other.yml'] }] },
      { services: { web: { extends: { file: 'oci://r/c:1', service: 'x' } }, db: { image: 'oci://not-a-file' } } },
    ]
    expect(remoteReferences(docs)).toEqual(['oci://r/a:1', 'oci://r/b:1', 'oci://r/c:1'])
  })

  it('are read from their fetched copy: its documents merged, its paths from its own directory', () => {
    const included = load('include:\n  - oci://r/app:1\nservices:\n  web:\n    image: web\n')
    expect(included.project.services.db?.command).toEqual(['serve'])
    expect(included.project.services.db?.environment).toEqual({ ROLE: 'db' })
    const extended = load(
      'services:\n  web:\n    extends:\n      file: oci://r/app:1\n      service: db\n    image: web:2\n',
    )
    expect([extended.project.services.web?.image, extended.project.services.web?.command]).toEqual(['web:2', ['serve']])
  })

  it('say how to fetch one that was not', () => {
    expect(problemsOf('include:\n  - oci://r/app:1\nservices:\n  web:\n    image: web\n')).toEqual([
      'compose.yml:2:5 include[0]: oci://r/app:1 is a project in a registry, not fetched before the files were read: the CLI fetches it; with the API, `Compose.fromSettings(await fetchRemoteFiles(settings))`',
    ])
  })
})
