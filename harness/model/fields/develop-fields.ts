import { describe } from '../document/describe.js'
import { readBoolean, readList, readMapping, readString, type FieldContext } from './readers.js'
import { isMapping } from '../document/values.js'
import { storedPath } from './service-fields.js'
import { shellWords } from '../document/shell-words.js'
import type { YamlPath } from '../document/where.js'

const ACTIONS = ['sync', 'rebuild', 'sync+restart', 'restart', 'sync+exec']

/**
 * `develop` (used by `watch`, which the harness does not run), checked as Compose v2 checks it and
 * kept in the shape v2 prints: each watch rule's `path` from the project directory, an `exec`
 * command in words, a rule's `x-` keys kept (`x-initialSync`, which v2's watch still reads).
 */
export function readDevelop(value: unknown, path: YamlPath, ctx: FieldContext): unknown {
  const develop = readMapping(value, path, ctx, ['watch'])
  if (develop.watch === undefined) return develop
  const watch = readList(develop.watch, [...path, 'watch'], ctx).map((rule, i) => {
    const at = [...path, 'watch', i]
    const r = readMapping(rule, at, ctx, ['path', 'action', 'target', 'ignore', 'include', 'exec', 'initial_sync'])
    if (r.initial_sync != null) readBoolean(r.initial_sync, [...at, 'initial_sync'], ctx)
    const rulePath = r.path === undefined ? undefined : readString(r.path, [...at, 'path'], ctx)
    if (r.path === undefined) ctx.problems.add(at, 'a watch rule needs a path')
    if (typeof r.action !== 'string' || !ACTIONS.includes(r.action))
      ctx.problems.add([...at, 'action'], `expected one of ${ACTIONS.join(', ')}, got ${describe(r.action)}`)
    const exec =
      isMapping(r.exec) && typeof r.exec.command === 'string'
        ? { ...r.exec, command: shellWords(r.exec.command) ?? r.exec.command }
        : r.exec
    return {
      ...r,
      ...(rulePath !== undefined && { path: storedPath(rulePath, ctx) }),
      ...(exec !== undefined && { exec }),
    }
  })
  return { ...develop, watch }
}
