import { readFileSync } from 'node:fs'
import { ComposeError } from './compose/compose-error.js'
import { DotenvError, parseDotenv } from './compose/dotenv.js'
import type { ComposeSource } from './compose/load.js'

/** The file reading that the pure pipeline leaves to its caller: compose files, env files. */

export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** The variables of the env files (later wins); a file given explicitly must exist, the default `.env` may not. */
export function readEnvFiles(files: readonly string[], required: boolean, lookup: (name: string) => string | undefined): Record<string, string> {
  let values: Record<string, string> = {}
  for (const file of files) {
    const text = readText(file)
    if (text === undefined) {
      if (required) throw new ComposeError([{ at: { file }, path: [], detail: 'cannot read the env file: no such file' }])
      continue
    }
    try {
      values = { ...values, ...parseDotenv(text, (name) => lookup(name) ?? values[name]) }
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error
      throw new ComposeError(error.problems.map((p) => ({ at: { file, line: p.line }, path: [], detail: p.detail })), { cause: error })
    }
  }
  return values
}

export function readSource(file: string): ComposeSource {
  try {
    return { file, text: readFileSync(file, 'utf8') }
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new ComposeError([{ at: { file }, path: [], detail: `cannot read the compose file: ${why}` }], { cause: error })
  }
}
