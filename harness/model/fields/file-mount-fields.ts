import { describe } from '../document/describe.js'
import { readInteger, readList, readMapping, readString, type FieldContext } from './readers.js'
import { isMapping } from '../document/values.js'
import type { FileMountSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/**
 * A service's `secrets` or `configs`: `NAME`, or `{source, target, uid, gid, mode}`. Where they
 * land is the runtime's to decide (Compose v2's places); whether the source is declared is validate's.
 */
export function readFileMounts(value: unknown, path: YamlPath, ctx: FieldContext): FileMountSpec[] {
  return readList(value, path, ctx).flatMap((item, i): FileMountSpec[] => {
    const at = [...path, i]
    if (typeof item === 'string') return [{ source: item }]
    if (!isMapping(item)) return [] // validate.ts names the shape
    const m = readMapping(item, at, ctx, ['source', 'target', 'uid', 'gid', 'mode'])
    const source = readString(m.source, [...at, 'source'], ctx)
    const text = (key: string): string | undefined => {
      const v = m[key]
      if (v === undefined) return undefined
      if (typeof v === 'number') return String(v)
      return readString(v, [...at, key], ctx)
    }
    const target = text('target')
    const uid = text('uid')
    const gid = text('gid')
    const mode = m.mode === undefined ? undefined : readMode(m.mode, [...at, 'mode'], ctx)
    if (source === undefined) return []
    return [
      {
        source,
        ...(target !== undefined && { target }),
        ...(uid !== undefined && { uid }),
        ...(gid !== undefined && { gid }),
        ...(mode !== undefined && { mode }),
      },
    ]
  })
}

/** File mode bits: a number (`0440` in YAML is octal, as Compose reads it) or an octal string (`"0440"`). */
function readMode(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  if (typeof value === 'string' && /^0?[0-7]{1,4}$/.test(value)) return parseInt(value, 8)
  const mode = readInteger(value, path, ctx)
  if (mode === undefined || mode <= 0o7777) return mode
  ctx.problems.add(path, `expected file mode bits such as 0440, got ${describe(value)}`)
  return undefined
}
