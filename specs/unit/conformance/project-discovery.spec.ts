import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { referenceCompose, runReference } from '../../../harness/conformance/reference-compose.js'
import { runCli } from '../../support/cli.js'

// Compose v2 needs no engine to find and load a project, so these comparisons run with the unit specs.
const reference = referenceCompose()

interface DiscoveryCase {
  /** The files of the case's directory, by their path in it (a path ending with `/` is a directory). */
  readonly tree: Record<string, string>
  /** Where both tools run, in the case's directory. */
  readonly cwd?: string
  readonly args?: readonly string[]
  /** What follows `config` (nothing: the document). */
  readonly configArgs?: readonly string[]
  readonly env?: Record<string, string>
  readonly input?: string
}

const service = (name: string, extra = '') => `services:\n  ${name}:\n    image: ${name}\n${extra}`
const withVariables = (name: string) => service(name, '    environment:\n      A: ${A:-unset}\n      B: ${B:-unset}\n')

const CASES: Record<string, DiscoveryCase> = {
  'the default file and its override, several of each (compose-go order, warned of)': {
    tree: {
      'compose.yaml': service('web'),
      'docker-compose.yml': service('old'),
      'docker-compose.override.yml': service('old-override'),
      'compose.override.yml': service('override'),
    },
  },
  'docker-compose.yml before docker-compose.yaml': {
    tree: { 'docker-compose.yaml': service('yaml'), 'docker-compose.yml': service('yml') },
  },
  "the nearest directory above with a file; the working directory's .env, then the project's": {
    tree: {
      'compose.yml': withVariables('web'),
      '.env': 'A=project\nB=project\n',
      'sub/deeper/.env': 'A=working\nCOMPOSE_PROFILES=tools\n',
      'sub/compose.override.yml': service('not-here'),
    },
    cwd: 'sub/deeper',
  },
  'COMPOSE_FILE, split on COMPOSE_PATH_SEPARATOR': {
    tree: { 'one/a.yml': service('a'), 'two/b.yml': service('b'), 'compose.yaml': service('default') },
    env: { COMPOSE_FILE: 'one/a.yml,two/b.yml', COMPOSE_PATH_SEPARATOR: ',' },
  },
  "COMPOSE_FILE from the working directory's .env; the name and profiles from the project's": {
    tree: {
      '.env': 'COMPOSE_FILE=app/a.yml:app/b.yml\nA=working\n',
      'app/a.yml': withVariables('a'),
      'app/b.yml': service('b', '    profiles: [extra]\n'),
      'app/.env': 'COMPOSE_PROJECT_NAME=named\nCOMPOSE_PROFILES=extra\nA=project\nB=project\n',
    },
  },
  "config --environment: the working directory's .env and the project's, the first winning": {
    tree: {
      '.env': 'COMPOSE_FILE=app/a.yml\nA=working\n',
      'app/a.yml': withVariables('a'),
      'app/.env': 'A=project\nB=project\n',
    },
    configArgs: ['--environment'],
  },
  'COMPOSE_ENV_FILES in place of the .env': {
    tree: { 'compose.yaml': withVariables('web'), '.env': 'A=dotenv\n', 'one.env': 'A=one\n', 'two.env': 'B=two\n' },
    env: { COMPOSE_ENV_FILES: 'one.env,two.env' },
  },
  'COMPOSE_DISABLE_ENV_FILE: no .env': {
    tree: { 'compose.yaml': withVariables('web'), '.env': 'A=dotenv\n' },
    env: { COMPOSE_DISABLE_ENV_FILE: 'true' },
  },
  '-f -: the standard input, then a file': {
    tree: { 'compose.yaml': service('web'), '.env': 'A=dotenv\n' },
    args: ['-f', '-', '-f', 'compose.yaml'],
    input: withVariables('piped'),
  },
  '--project-directory without -f: its file, or the nearest above it': {
    tree: { 'app/compose.yaml': withVariables('web'), 'app/.env': 'A=app\n', 'compose.yaml': service('top') },
    args: ['--project-directory', 'app'],
  },
  '--workdir, the deprecated --project-directory': {
    tree: { 'app/compose.yaml': withVariables('web'), 'app/.env': 'A=app\n' },
    args: ['--workdir', 'app'],
  },
  'a directory named .env: passed over': { tree: { 'compose.yaml': withVariables('web'), '.env/': '' } },
  'no file here nor above: both refuse': { tree: { 'notes.txt': 'no compose file\n' } },
}

/** The case's directory, made afresh: the project's name is the directory's, the same for both tools. */
function directoryOf(c: DiscoveryCase): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'discovery-')), 'project')
  for (const [path, text] of Object.entries(c.tree)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    if (path.endsWith('/')) mkdirSync(join(dir, path))
    else writeFileSync(join(dir, path), text)
  }
  return dir
}

/** The environment both tools run with: the case's, and none of the COMPOSE_* settings the run may have. */
function environmentOf(c: DiscoveryCase): NodeJS.ProcessEnv {
  const cleared = Object.keys(process.env).filter((k) => k.startsWith('COMPOSE_') && !k.startsWith('COMPOSE_HARNESS_'))
  return { ...Object.fromEntries(cleared.map((k) => [k, undefined])), NO_COLOR: '1', ...c.env }
}

const warned = (stderr: string) => stderr.split('\n').some((l) => /level=warning|^WARN /.test(l))

describe('finding the project (files, env files, COMPOSE_* variables), against Compose v2', () => {
  it.concurrent.each(Object.entries(CASES))(
    '%s: config prints the same',
    async (_, c) => {
      const cwd = join(directoryOf(c), c.cwd ?? '.')
      const env = environmentOf(c)
      const args = [...(c.args ?? []), 'config', ...(c.configArgs ?? [])]
      const [ours, theirs] = await Promise.all([
        runCli(args, { cwd, env, ...(c.input !== undefined && { input: c.input }) }),
        runReference(reference, args, {
          cwd,
          env: { ...process.env, ...env },
          ...(c.input !== undefined && { input: c.input }),
        }),
      ])
      expect({ code: ours.code, stdout: ours.stdout, warned: warned(ours.stderr) }).toEqual({
        code: theirs.code,
        stdout: theirs.stdout,
        warned: warned(theirs.stderr),
      })
      // Two processes each, ten cases at once: more than the unit specs' 5 s on a busy machine.
    },
    60_000,
  )
})
