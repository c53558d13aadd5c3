import { ComposeError } from '../../../harness/compose/compose-error.js'
import { loadCompose, type LoadedCompose } from '../../../harness/compose/load.js'

export interface InlineOptions {
  readonly env?: Record<string, string>
  readonly projectName?: string
  /** More documents merged over the first, named compose.override-N.yml. */
  readonly overrides?: readonly string[]
}

/** Loads compose text written in the spec, as if it were /project/compose.yml. */
export function loadInline(text: string, { env = {}, projectName, overrides = [] }: InlineOptions = {}): LoadedCompose {
  const sources = [{ file: 'compose.yml', text }, ...overrides.map((t, i) => ({ file: `compose.override-${i + 1}.yml`, text: t }))]
  return loadCompose(sources, { projectDirectory: '/project', lookup: (name) => env[name], ...(projectName && { projectName }) })
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
