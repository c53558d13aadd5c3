import { readFileSync, statSync } from 'node:fs'
import { ComposeError } from '../model/document/compose-error.js'
import { DotenvError, parseDotenv } from '../model/interpolate/dotenv.js'
import type { ComposeSource } from '../model/pipeline/load.js'

/** The file reading that the pure pipeline leaves to its caller: compose files, env files. */

/** Env files are small: a larger one, or one that is not a regular file (`/dev/zero`, a FIFO), is refused before it is read. */
const ENV_FILE_LIMIT_BYTES = 4 * 1024 * 1024

/** An env file's text, or undefined when there is none; anything else than a regular file of sane size is refused. */
export function readText(file: string): string | undefined {
  const stats = statSync(file, { throwIfNoEntry: false })
  if (!stats) return undefined
  if (!stats.isFile())
    throw new ComposeError([{ at: { file }, path: [], detail: 'cannot read the env file: it is not a regular file' }])
  if (stats.size > ENV_FILE_LIMIT_BYTES) {
    throw new ComposeError([
      {
        at: { file },
        path: [],
        detail: `cannot read the env file: it has ${stats.size} bytes, more than the ${ENV_FILE_LIMIT_BYTES} an env file may have`,
      },
    ])
  }
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * The variables of the env files (later wins); a file given explicitly must exist, the default
 * `.env` may not, nor be a file at all (a directory of that name is passed over, as Compose v2 does).
 */
export function readProjectEnvFiles(
  files: readonly string[],
  required: boolean,
  lookup: (name: string) => string | undefined,
): Record<string, string> {
  let values: Record<string, string> = {}
  for (const file of files) {
    if (!required && statSync(file, { throwIfNoEntry: false })?.isDirectory()) continue
    const text = readText(file)
    if (text === undefined) {
      if (required)
        throw new ComposeError([{ at: { file }, path: [], detail: 'cannot read the env file: no such file' }])
      continue
    }
    try {
      values = { ...values, ...parseDotenv(text, (name) => lookup(name) ?? values[name]) }
    } catch (error) {
      if (!(error instanceof DotenvError)) throw error
      throw new ComposeError(
        error.problems.map((p) => ({ at: { file, line: p.line }, path: [], detail: p.detail })),
        { cause: error },
      )
    }
  }
  return values
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** A compose file's text; bytes that are not UTF-8 are refused (as Compose v2 refuses them), never replaced. */
export function readSource(file: string): ComposeSource {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message
    throw new ComposeError([{ at: { file }, path: [], detail: `cannot read the compose file: ${why}` }], {
      cause: error,
    })
  }
  try {
    return { file, text: UTF8.decode(bytes) }
  } catch (error) {
    const bad = firstInvalidUtf8(bytes)
    const line = bytes.subarray(0, bad).toString('latin1').split('\n').length
    throw new ComposeError(
      [
        {
          at: { file, line },
          path: [],
          detail: `the file is not UTF-8 text: byte ${bad} (0x${bytes[bad]!.toString(16)}) starts no UTF-8 character`,
        },
      ],
      { cause: error },
    )
  }
}

/**
 * The offset of the first byte that is not UTF-8: where the lenient decoding puts its first
 * replacement character that the file did not itself encode (as EF BF BD). Every character
 * before it is valid, so counting their encoded lengths gives the offset exactly.
 */
function firstInvalidUtf8(bytes: Buffer): number {
  let offset = 0
  for (const char of bytes.toString('utf8')) {
    const written = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd
    if (char === '\uFFFD' && !written) return offset
    offset += Buffer.byteLength(char)
  }
  return offset
}

/** The variables of `env` that have a value (Node's environment types an unset one as undefined). */
export function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined))
}
