import { isOverride, isReset, OVERRIDE_KEY, withoutMergeTags } from '../document/merge-tags.js'
import type { ParsedCompose } from '../document/parse.js'
import type { Locate, YamlPath } from '../document/where.js'
import { asKeyValueMap, asNameMap, isMapping } from '../document/values.js'
import { InvariantError } from '../../errors.js'

/** Several compose files merged the way `docker compose -f a.yml -f b.yml` merges them. */
export interface MergedCompose {
  readonly files: readonly string[]
  readonly value: Record<string, unknown>
  readonly locate: Locate
  /**
   * The last file that writes top-level `key` (where `locate` would place it), told from the files'
   * values: no file's positions are read, which would load the `yaml` library.
   */
  readonly fileWith: (key: string) => string | undefined
}

/** Service keys whose sequences are concatenated (without repeats) rather than replaced. */
const APPENDED = new Set([
  'cap_add',
  'cap_drop',
  'devices',
  'dns',
  'dns_opt',
  'dns_search',
  'env_file',
  'expose',
  'external_links',
  'group_add',
  'links',
  'ports',
  'profiles',
  'security_opt',
  'tmpfs',
  'volumes',
  'volumes_from',
])
/** Service keys written either as a list of `KEY=value` or as a mapping; merged key by key. */
const KEY_VALUE = new Set(['environment', 'labels', 'annotations', 'sysctls'])
/** The same, in a build (merged as a mapping when not as a sequence). */
const BUILD_KEY_VALUE = new Set(['args', 'labels'])

/** `KEY=value` entries of a list or a mapping (a mapping's by key, a null value as the key alone). */
function asSequence(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (!isMapping(value)) return typeof value === 'string' ? [value] : []
  return Object.keys(value)
    .sort()
    .flatMap((key) => {
      const v = value[key]
      if (v === null || v === undefined) return [key]
      return Array.isArray(v) ? v.map((item) => `${key}=${String(item)}`) : [`${key}=${String(v)}`]
    })
}

/**
 * Entries with one key each (the text before `=`): where a key comes again, its later entry takes
 * the earlier one's place, as compose-go keeps them unique.
 */
export function uniqueKeyValues(entries: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  const at = new Map<string, number>()
  for (const entry of entries) {
    const key = String(entry).split('=')[0]!
    const i = at.get(key)
    if (i === undefined) {
      at.set(key, out.length)
      out.push(entry)
    } else out[i] = entry
  }
  return out
}

function keyValueSequence(base: unknown, over: unknown): unknown[] {
  // A key the later file resets (`KEY: !reset`) goes; one it overrides takes that value.
  const reset = new Set(isMapping(over) ? Object.keys(over).filter((key) => isReset(over[key])) : [])
  const later = isMapping(over)
    ? Object.fromEntries(
        Object.entries(over)
          .filter(([key]) => !reset.has(key))
          .map(([key, v]) => [key, isOverride(v) ? v[OVERRIDE_KEY] : v]),
      )
    : over
  const kept = asSequence(base).filter((entry) => !reset.has(String(entry).split('=')[0]!))
  return uniqueKeyValues([...kept, ...asSequence(later)])
}

/** How `KEY=value` keys that two files both write come out of the merge. */
export interface MergeOptions {
  /**
   * `sequence` (`config --no-interpolate`, as compose-go merges its plain model): a list of
   * `KEY=value` entries, the first file's then the next's, a key kept where it first came with the
   * value it last had (a mapping's entries by key). Otherwise a mapping merged key by key.
   */
  readonly keyValues?: 'mapping' | 'sequence'
}

export function mergeCompose(files: readonly ParsedCompose[], options: MergeOptions = {}): MergedCompose {
  const [first, ...rest] = files
  if (!first) throw new InvariantError('mergeCompose needs at least one file')
  const merger = new Merger(files, options.keyValues === 'sequence')
  let value = first.value
  for (const [i, file] of rest.entries()) value = merger.mapping(value, file.value, [], i + 1)
  const locate: Locate = (path) => {
    const [file, filePath] = merger.origin(path)
    const found = file?.find(filePath)
    if (found) return found
    for (let len = path.length; len >= 0; len--) {
      for (const file of [...files].reverse()) {
        const found = file.find(path.slice(0, len))
        if (found) return found
      }
    }
    return { file: first.file }
  }
  const fileWith = (key: string) => [...files].reverse().find((f) => key in f.value)?.file
  return {
    files: files.map((f) => f.file),
    value: withoutMergeTags(value) as Record<string, unknown>,
    locate,
    fileWith,
  }
}

/** Where an item of an appended list came from: the file and its index in that file's list. */
interface ItemOrigin {
  readonly file: number
  readonly index: number
}

/**
 * Merges file after file, remembering for every appended list which file wrote each item, so that
 * a problem in `ports[3]` is shown at the line of the file that wrote it, not at whatever item 3
 * of the last file happens to be.
 */
class Merger {
  private readonly appended = new Map<string, ItemOrigin[]>()

  constructor(
    private readonly files: readonly ParsedCompose[],
    private readonly sequences = false,
  ) {}

  mapping(
    base: Record<string, unknown>,
    over: Record<string, unknown>,
    path: YamlPath,
    file: number,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base }
    for (const [key, value] of Object.entries(over)) {
      if (isReset(value)) delete out[key]
      else if (isOverride(value)) out[key] = value[OVERRIDE_KEY]
      else out[key] = key in base ? this.value(base[key], value, [...path, key], file) : value
    }
    return out
  }

  /** The file a path of the merged document comes from, and the path within that file. */
  origin(path: YamlPath): [ParsedCompose | undefined, YamlPath] {
    for (let len = path.length - 1; len > 0; len--) {
      const origins = this.appended.get(JSON.stringify(path.slice(0, len)))
      const item = typeof path[len] === 'number' ? origins?.[path[len] as number] : undefined
      if (item) return [this.files[item.file], [...path.slice(0, len), item.index, ...path.slice(len + 1)]]
    }
    return [undefined, path]
  }

  private value(base: unknown, over: unknown, path: YamlPath, file: number): unknown {
    const key = path[path.length - 1]
    const inService = path.length === 3 && path[0] === 'services'
    const inBuild = path.length === 4 && path[0] === 'services' && path[2] === 'build'
    if (this.sequences && ((inService && KEY_VALUE.has(String(key))) || (inBuild && BUILD_KEY_VALUE.has(String(key)))))
      return keyValueSequence(base, over)
    if (inService && typeof key === 'string') {
      if (KEY_VALUE.has(key)) return this.mapping(asKeyValueMap(base), asKeyValueMap(over), path, file)
      if (key === 'build') return this.mapping(asBuildMap(base), asBuildMap(over), path, file)
      if (key === 'depends_on' || key === 'networks') return this.mapping(asNameMap(base), asNameMap(over), path, file)
      if (APPENDED.has(key) && Array.isArray(base) && Array.isArray(over)) return this.append(base, over, path, file)
    }
    if (isMapping(base) && isMapping(over)) return this.mapping(base, over, path, file)
    return over
  }

  /** Appends the items not already there; a mount whose target is already mounted replaces that mount, in place. */
  private append(base: unknown[], over: unknown[], path: YamlPath, file: number): unknown[] {
    const at = JSON.stringify(path)
    const origins = [
      ...(this.appended.get(at) ?? base.map((_, index) => ({ file: this.lastWriter(path, file), index }))),
    ]
    const merged = [...base]
    const seen = new Set(base.map((v) => JSON.stringify(v)))
    const targets = path[path.length - 1] === 'volumes' ? base.map(mountTarget) : []
    over.forEach((value, index) => {
      const replaced = targets.indexOf(mountTarget(value))
      if (mountTarget(value) !== undefined && replaced >= 0) {
        merged[replaced] = value
        origins[replaced] = { file, index }
      } else if (!seen.has(JSON.stringify(value))) {
        merged.push(value)
        origins.push({ file, index })
      }
    })
    this.appended.set(at, origins)
    return merged
  }

  /** The last file before `file` that writes `path`: the one whose list is the base being appended to. */
  private lastWriter(path: YamlPath, file: number): number {
    for (let i = file - 1; i > 0; i--) if (valueAt(this.files[i]!.value, path) !== undefined) return i
    return 0
  }
}

/** The container path of a `volumes` item, short (`src:/target:ro`, `/target`) or long. */
function mountTarget(item: unknown): string | undefined {
  if (isMapping(item)) return typeof item.target === 'string' ? item.target : undefined
  if (typeof item !== 'string') return undefined
  const parts = item.split(':')
  return parts.length === 1 ? parts[0] : parts[1]
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let node = value
  for (const part of path) node = isMapping(node) ? node[String(part)] : undefined
  return node
}

function asBuildMap(value: unknown): Record<string, unknown> {
  return typeof value === 'string' ? { context: value } : isMapping(value) ? value : {}
}
