import { describe, expect, it } from 'vitest'
import { findProject, projectFiles, type ProjectFinder } from '../../../harness/cli/project-files.js'
import { UsageError } from '../../../harness/cli/usage-error.js'

/** A file system of these files (env files by their variables), the command run from `cwd`. */
function finder(cwd: string, files: Record<string, Record<string, string> | true>): ProjectFinder {
  return {
    cwd,
    exists: (path) => path in files,
    readEnvFiles: (paths, required) => {
      let values: Record<string, string> = {}
      for (const path of paths) {
        const vars = files[path]
        if (vars === undefined && required) throw new Error(`${path}: no such file`)
        if (vars !== undefined && vars !== true) values = { ...values, ...vars }
      }
      return values
    },
  }
}

const NO_FLAGS = { files: [], envFiles: [] }

describe('finding the project as Compose v2 does', () => {
  it('takes -f as given (absolute from the current directory, - left as the standard input)', () => {
    const found = findProject({ files: ['a.yml', '-', '/x/b.yml'], envFiles: [] }, {}, finder('/w', {}))
    expect(found.files).toEqual(['/w/a.yml', '-', '/x/b.yml'])
  })

  it('keeps a project in a registry (-f oci://…) as named, the working directory standing for its directory', () => {
    const fs = finder('/w', {
      '/w/.env': { COMPOSE_PROJECT_NAME: 'from-dot-env' },
      '/x/.env': { COMPOSE_PROFILES: 'x' },
    })
    const remote = findProject({ files: ['oci://r/app:1', '/x/b.yml'], envFiles: [] }, {}, fs)
    expect(remote.files).toEqual(['oci://r/app:1', '/x/b.yml'])
    expect([remote.searchedFrom, remote.composeVariables]).toEqual(['/w', { COMPOSE_PROJECT_NAME: 'from-dot-env' }])
    // A local file first: its directory is the working one, as v2 decides it.
    const local = findProject({ files: ['/x/b.yml', 'oci://r/app:1'], envFiles: [] }, {}, fs)
    expect([local.searchedFrom, local.composeVariables]).toEqual(['/x', { COMPOSE_PROFILES: 'x' }])
  })

  it('else the first default name, in compose-go order, and the first override beside it; several of either are warned of', () => {
    const fs = finder('/w', {
      '/w/docker-compose.yaml': true,
      '/w/docker-compose.yml': true,
      '/w/docker-compose.override.yaml': true,
      '/w/compose.override.yml': true,
    })
    const found = findProject(NO_FLAGS, {}, fs)
    expect(found.files).toEqual(['/w/docker-compose.yml', '/w/compose.override.yml'])
    expect(found.warnings).toEqual([
      'Found multiple config files with supported names: /w/docker-compose.yml, /w/docker-compose.yaml',
      'Using /w/docker-compose.yml',
      'Found multiple override files with supported names: /w/compose.override.yml, /w/docker-compose.override.yaml',
      'Using /w/compose.override.yml',
    ])
    expect(findProject(NO_FLAGS, {}, finder('/w', { '/w/compose.yaml': true })).warnings).toEqual([])
  })

  it('looks in the directories above the working one, the nearest first, and says where it looked when none has a file', () => {
    const fs = finder('/a/b/c', { '/a/compose.yml': true, '/compose.yaml': true })
    expect(findProject(NO_FLAGS, {}, fs).files).toEqual(['/a/compose.yml'])
    expect(findProject({ ...NO_FLAGS, projectDirectory: '/elsewhere' }, {}, fs).files).toEqual(['/compose.yaml'])
    const none = findProject(NO_FLAGS, {}, finder('/a/b', {}))
    expect(none.files).toEqual([])
    expect(() => projectFiles(none)).toThrow(UsageError)
    expect(() => projectFiles(none)).toThrow('in /a/b or a directory above it')
  })

  it('takes COMPOSE_FILE over the default names, split on COMPOSE_PATH_SEPARATOR (":" unless set)', () => {
    const fs = finder('/w', { '/w/compose.yaml': true })
    expect(findProject(NO_FLAGS, { COMPOSE_FILE: 'a.yml:/b.yml' }, fs).files).toEqual(['/w/a.yml', '/b.yml'])
    expect(findProject(NO_FLAGS, { COMPOSE_FILE: 'a.yml,b:c.yml', COMPOSE_PATH_SEPARATOR: ',' }, fs).files).toEqual([
      '/w/a.yml',
      '/w/b:c.yml',
    ])
    expect(findProject({ files: ['x.yml'], envFiles: [] }, { COMPOSE_FILE: 'a.yml' }, fs).files).toEqual(['/w/x.yml'])
  })

  it('reads COMPOSE_FILE and the separator from the working directory’s .env, the environment winning', () => {
    const fs = finder('/w', { '/w/.env': { COMPOSE_FILE: 'p/a.yml;p/b.yml', COMPOSE_PATH_SEPARATOR: ';' } })
    expect(findProject(NO_FLAGS, {}, fs).files).toEqual(['/w/p/a.yml', '/w/p/b.yml'])
    expect(findProject(NO_FLAGS, { COMPOSE_FILE: 'c.yml' }, fs).files).toEqual(['/w/c.yml'])
  })

  it('hands on the .env’s COMPOSE_* variables the environment lacks, and its other variables only when the project directory is another', () => {
    const fs = finder('/w', {
      '/w/.env': { COMPOSE_FILE: 'p/a.yml', COMPOSE_ANSI: 'never', COMPOSE_MENU: 'false', X: 'here' },
    })
    const found = findProject(NO_FLAGS, { COMPOSE_MENU: 'true', X: undefined }, fs)
    expect(found.composeVariables).toEqual({ COMPOSE_FILE: 'p/a.yml', COMPOSE_ANSI: 'never' })
    // The project is in /w/p, whose own .env the project reads; /w's goes first, the environment over both.
    expect(found.environment).toEqual({
      COMPOSE_FILE: 'p/a.yml',
      COMPOSE_ANSI: 'never',
      COMPOSE_MENU: 'true',
      X: 'here',
    })
    const sameDirectory = finder('/w', { '/w/.env': { X: 'here' }, '/w/compose.yaml': true })
    expect(findProject(NO_FLAGS, {}, sameDirectory).environment).toBeUndefined()
  })

  it('the working directory is the first -f file’s, or --project-directory', () => {
    const fs = finder('/w', { '/w/p/.env': { COMPOSE_PROFILES: 'x' }, '/d/.env': { COMPOSE_PROFILES: 'y' } })
    expect(findProject({ files: ['-', 'p/a.yml'], envFiles: [] }, {}, fs).composeVariables).toEqual({
      COMPOSE_PROFILES: 'x',
    })
    expect(findProject({ files: ['p/a.yml'], envFiles: [], projectDirectory: '/d' }, {}, fs).composeVariables).toEqual({
      COMPOSE_PROFILES: 'y',
    })
  })

  it('takes --env-file, else COMPOSE_ENV_FILES (comma-separated), which must exist, in place of the .env', () => {
    const fs = finder('/w', { '/w/.env': { COMPOSE_FILE: 'no.yml' }, '/w/a.env': { COMPOSE_FILE: 'a.yml' } })
    const found = findProject(NO_FLAGS, { COMPOSE_ENV_FILES: 'a.env,,' }, fs)
    expect(found).toMatchObject({ files: ['/w/a.yml'], envFiles: ['/w/a.env'] })
    expect(found.environment).toBeUndefined()
    expect(findProject({ files: [], envFiles: ['/w/a.env'] }, { COMPOSE_ENV_FILES: 'x.env' }, fs).envFiles).toEqual([
      '/w/a.env',
    ])
    expect(() => findProject(NO_FLAGS, { COMPOSE_ENV_FILES: 'missing.env' }, fs)).toThrow('no such file')
  })

  it('reads no .env under COMPOSE_DISABLE_ENV_FILE (Go booleans; another value is refused)', () => {
    const fs = finder('/w', { '/w/.env': { COMPOSE_FILE: 'a.yml' }, '/w/compose.yaml': true, '/w/b.env': {} })
    expect(findProject(NO_FLAGS, { COMPOSE_DISABLE_ENV_FILE: 'True' }, fs)).toMatchObject({
      files: ['/w/compose.yaml'],
      envFiles: [],
      composeVariables: {},
    })
    expect(findProject(NO_FLAGS, { COMPOSE_DISABLE_ENV_FILE: '0' }, fs).files).toEqual(['/w/a.yml'])
    expect(findProject({ files: [], envFiles: ['b.env'] }, { COMPOSE_DISABLE_ENV_FILE: '1' }, fs).envFiles).toEqual([
      '/w/b.env',
    ])
    expect(() => findProject(NO_FLAGS, { COMPOSE_DISABLE_ENV_FILE: 'yes' }, fs)).toThrow(
      'COMPOSE_DISABLE_ENV_FILE takes true or false, got "yes"',
    )
  })
})
