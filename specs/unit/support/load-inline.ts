import { ComposeError } from '../../../harness/model/document/compose-error.js'
import { loadCompose, type LoadedCompose } from '../../../harness/model/pipeline/load.js'
import type { ServiceSpec } from '../../../harness/model/project/types.js'

export interface InlineOptions {
  readonly env?: Record<string, string>
  readonly projectName?: string
  readonly profiles?: readonly string[]
  /** Services a command names (`up tool`): enabled whatever their profiles. */
  readonly enable?: readonly string[]
  /** More documents merged over the first, named compose.override-N.yml. */
  readonly overrides?: readonly string[]
  /** Files that `env_file` may read, by absolute path. */
  readonly files?: Record<string, string>
}

/** Loads compose text written in the spec, as if it were /project/compose.yml. */
export function loadInline(
  text: string,
  { env = {}, projectName, profiles, enable, overrides = [], files = {} }: InlineOptions = {},
): LoadedCompose {
  const sources = [
    { file: 'compose.yml', text },
    ...overrides.map((t, i) => ({ file: `compose.override-${i + 1}.yml`, text: t })),
  ]
  return loadCompose(sources, {
    projectDirectory: '/project',
    lookup: (name) => env[name],
    readText: (path) => files[path],
    ...(projectName && { projectName }),
    ...(profiles && { profiles }),
    ...(enable && { enable }),
  })
}

/** The service `web` of a file whose `web` service is `yaml` (indented for you), with an image unless `yaml` sets one. */
export function webService(yaml: string, options?: InlineOptions): ServiceSpec {
  const body = /^(image|build):/m.test(yaml) ? yaml : `image: web\n${yaml}`
  return loadInline(`services:\n  web:\n${body.replace(/^(?=.)/gm, '    ')}\n`, options).project.services.web!
}

/** The lines of the ComposeError that loading `text` throws. */
export function problemsOf(text: string, options?: InlineOptions): string[] {
  try {
    loadInline(text, options)
  } catch (error) {
    if (error instanceof ComposeError) return error.message.split('\n')
    throw error
  }
  throw new Error('expected a ComposeError, but the file loaded')
}

/** The problems of a `web` service written as `yaml` (indented for you, from line 3 of compose.yml). */
export function webProblems(yaml: string, options?: InlineOptions): string[] {
  const body = /^(image|build):/m.test(yaml) ? yaml : `image: web\n${yaml}`
  return problemsOf(`services:\n  web:\n${body.replace(/^(?=.)/gm, '    ')}\n`, options)
}
