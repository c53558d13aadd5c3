import { posix } from 'node:path'
import { describe, isScalar } from '../document/describe.js'
import { readBoolean, readKeyValues, readList, readMapping, readString, type FieldContext } from './readers.js'
import { readBytes } from './host-fields.js'
import { storedPath } from './service-fields.js'
import type { MountSpec } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** A bind's mount propagation, in the short syntax's options or the long syntax's `bind.propagation`. */
export const PROPAGATIONS: readonly string[] = ['shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate']
/** A bind's SELinux relabelling, likewise (`bind.selinux`). */
export const SELINUX_LABELS: readonly string[] = ['z', 'Z']
/** How a bind mounts what is mounted under its source (`bind.recursive`). */
const RECURSIVE: readonly NonNullable<MountSpec['recursive']>[] = ['enabled', 'disabled', 'writable', 'readonly']

const SHORT_OPTIONS = ['ro', 'rw', 'nocopy', 'cached', 'delegated', 'consistent', ...SELINUX_LABELS, ...PROPAGATIONS]

/** `volume:/target:ro`, `./dir:/target`, `/target` (anonymous), or the long mapping. */
export function readVolumes(value: unknown, path: YamlPath, ctx: FieldContext): MountSpec[] {
  return readList(value, path, ctx).flatMap((item, i) => {
    const at = [...path, i]
    const mount = isScalar(item) ? shortMount(String(item), at, ctx) : longMount(item, at, ctx)
    return mount ? [mount] : []
  })
}

/** The short syntax's fields: split at each `:` outside a `${…}`, which a model not interpolated still holds. */
function fieldsOf(text: string): string[] {
  const parts = ['']
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char === '$' && text[i + 1] === '{') depth++
    else if (char === '}' && depth > 0) depth--
    else if (char === ':' && depth === 0) {
      parts.push('')
      continue
    }
    parts[parts.length - 1] += char
  }
  return parts
}

function shortMount(text: string, path: YamlPath, ctx: FieldContext): MountSpec | undefined {
  const parts = fieldsOf(text)
  if (parts.length > 3 || parts.some((p) => p === '')) {
    ctx.problems.add(path, `invalid volume ${JSON.stringify(text)}: expected [source:]target[:options]`)
    return undefined
  }
  const [source, written, mode] = parts.length === 1 ? [undefined, parts[0]!, undefined] : parts
  const target = cleanTarget(written)
  const options = mode?.split(',') ?? []
  const unknown = options.filter((o) => !SHORT_OPTIONS.includes(o))
  if (unknown.length > 0)
    ctx.problems.add(path, `invalid volume ${JSON.stringify(text)}: unknown option ${unknown.join(', ')}`)
  if (!target.startsWith('/'))
    ctx.problems.add(
      path,
      `invalid volume ${JSON.stringify(text)}: the target must be an absolute path in the container`,
    )
  const isPath = source !== undefined && /^[./~]/.test(source)
  return {
    type: isPath ? 'bind' : 'volume',
    ...(source !== undefined && { source: isPath ? storedPath(source, ctx) : source }),
    target: target,
    readOnly: options.includes('ro'),
    ...(isPath ? { createHostPath: true } : { volumeSettings: true }),
    ...(options.some((o) => o !== 'ro' && o !== 'rw') && { options: options.filter((o) => o !== 'ro' && o !== 'rw') }),
  }
}

function longMount(value: unknown, path: YamlPath, ctx: FieldContext): MountSpec | undefined {
  const m = readMapping(value, path, ctx, [
    'type',
    'source',
    'target',
    'read_only',
    'bind',
    'volume',
    'tmpfs',
    'image',
    'consistency',
  ])
  const type = m.type as MountSpec['type']
  if (!MOUNT_TYPES.includes(type)) {
    ctx.problems.add([...path, 'type'], `expected ${MOUNT_TYPES.join(', ')}, got ${describe(type)}`)
    return undefined
  }
  const image = m.image == null ? undefined : readMapping(m.image, [...path, 'image'], ctx, ['subpath'])
  const written = readString(m.target, [...path, 'target'], ctx)
  const target = written === undefined ? undefined : cleanTarget(written)
  const source = m.source === undefined ? undefined : readString(m.source, [...path, 'source'], ctx)
  const readOnly = m.read_only === undefined ? false : (readBoolean(m.read_only, [...path, 'read_only'], ctx) ?? false)
  if (type === 'bind' && source === undefined) ctx.problems.add(path, 'a bind mount needs a source')
  if (target === undefined) return undefined
  const volume =
    m.volume == null ? {} : readMapping(m.volume, [...path, 'volume'], ctx, ['labels', 'nocopy', 'subpath'])
  const nocopy = volume.nocopy == null ? false : readBoolean(volume.nocopy, [...path, 'volume', 'nocopy'], ctx)
  const subpath = volume.subpath == null ? undefined : readString(volume.subpath, [...path, 'volume', 'subpath'], ctx)
  const bind =
    m.bind === undefined
      ? {}
      : readMapping(m.bind, [...path, 'bind'], ctx, ['propagation', 'create_host_path', 'recursive', 'selinux'])
  const createHostPath =
    bind.create_host_path === undefined
      ? false
      : readBoolean(bind.create_host_path, [...path, 'bind', 'create_host_path'], ctx)
  const bindOptions = (['selinux', 'propagation'] as const).flatMap((key) => {
    const allowed = key === 'selinux' ? SELINUX_LABELS : PROPAGATIONS
    const option = bind[key] === undefined ? undefined : readString(bind[key], [...path, 'bind', key], ctx)
    if (option !== undefined && !allowed.includes(option))
      ctx.problems.add([...path, 'bind', key], `expected ${allowed.join(', ')}, got ${JSON.stringify(option)}`)
    return option !== undefined && allowed.includes(option) ? [option] : []
  })
  const options = [...(nocopy ? ['nocopy'] : []), ...bindOptions]
  return {
    type,
    ...(source !== undefined && { source: type === 'bind' ? storedPath(source, ctx) : source }),
    target,
    readOnly,
    ...(createHostPath && { createHostPath }),
    ...(m.bind !== undefined && !createHostPath && { bindSettings: true }),
    ...(m.volume != null && { volumeSettings: true }),
    ...(options.length > 0 && { options }),
    ...(image && { image }),
    ...(subpath !== undefined && { subpath }),
    ...mountSettings(m.tmpfs, bind.recursive, volume.labels, path, ctx),
  }
}

/** The long syntax's `tmpfs` mapping, `bind.recursive` and `volume.labels`, each where written. */
function mountSettings(
  tmpfs: unknown,
  recursive: unknown,
  labels: unknown,
  path: YamlPath,
  ctx: FieldContext,
): Pick<MountSpec, 'tmpfs' | 'recursive' | 'volumeLabels'> {
  const sized = tmpfs == null ? undefined : readMapping(tmpfs, [...path, 'tmpfs'], ctx, ['size', 'mode'])
  const sizeBytes = sized?.size == null ? undefined : readBytes(sized.size, [...path, 'tmpfs', 'size'], ctx)
  const mode = sized?.mode === undefined ? undefined : readModeBits(sized.mode, [...path, 'tmpfs', 'mode'], ctx)
  const written = recursive == null ? undefined : readString(recursive, [...path, 'bind', 'recursive'], ctx)
  const how = RECURSIVE.find((r) => r === written)
  if (written !== undefined && how === undefined)
    ctx.problems.add([...path, 'bind', 'recursive'], `expected ${RECURSIVE.join(', ')}, got ${JSON.stringify(written)}`)
  const volumeLabels = labels == null ? {} : readKeyValues(labels, [...path, 'volume', 'labels'], ctx, 'empty')
  return {
    ...(sized && {
      tmpfs: { ...(sizeBytes !== undefined && { sizeBytes }), ...(mode !== undefined && { mode }) },
    }),
    ...(how !== undefined && { recursive: how }),
    ...(Object.keys(volumeLabels).length > 0 && { volumeLabels }),
  }
}

/** A tmpfs's mode: a number (`0o1777` and `01777` are octal in YAML, as Compose reads them), its fraction dropped as Go drops it. */
function readModeBits(value: unknown, path: YamlPath, ctx: FieldContext): number | undefined {
  if (typeof value === 'number' && value >= 0) return Math.trunc(value)
  ctx.problems.add(path, `expected file mode bits as a number, such as 0o1777, got ${describe(value)}`)
  return undefined
}

const MOUNT_TYPES: readonly MountSpec['type'][] = ['volume', 'bind', 'tmpfs', 'image', 'npipe', 'cluster']

/** A container path as Compose v2 keeps it: cleaned (`/data/` is `/data`, `/a/./b` is `/a/b`). */
function cleanTarget(target: string): string {
  return target.startsWith('/') ? posix.normalize(target).replace(/(.)\/$/, '$1') : target
}
