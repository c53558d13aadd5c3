import {
  readBoolean,
  readFields,
  readKeyValues,
  readString,
  readStringList,
  type FieldContext,
  type FieldTable,
} from './readers.js'
import { readBytes, readUlimits } from './host-fields.js'
import type { BuildSettings } from '../project/types.js'
import type { YamlPath } from '../document/where.js'

/** The long-syntax build keys the engine's classic builder takes, each with its reader. */
const BUILD_KEYS: FieldTable<BuildSettings> = {
  dockerfile_inline: ['dockerfileInline', readString],
  labels: ['labels', (v, p, c) => readKeyValues(v, p, c, 'empty')],
  cache_from: ['cacheFrom', readStringList],
  network: ['network', readString],
  shm_size: ['shmSizeBytes', readBytes],
  no_cache: ['noCache', readBoolean],
  pull: ['pull', readBoolean],
  tags: ['tags', readStringList],
  platforms: ['platforms', readStringList],
  ulimits: ['ulimits', readUlimits],
  isolation: ['isolation', readString],
}

/** The build keys `readBuildSettings` reads; of the others, `extra_hosts` is read with the service's reader. */
export const BUILD_SETTING_KEYS: readonly string[] = [...Object.keys(BUILD_KEYS), 'extra_hosts']

/** The build's settings beside context, dockerfile, args and target, each checked. */
export function readBuildSettings(build: Record<string, unknown>, path: YamlPath, ctx: FieldContext): BuildSettings {
  return readFields(build, BUILD_KEYS, path, ctx)
}
