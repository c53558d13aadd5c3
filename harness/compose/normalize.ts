import type { Problems } from './compose-error.js'
import { describe } from './describe.js'
import type { MergedCompose } from './merge.js'
import { isMapping } from './merge.js'
import { chooseProjectName, isValidProjectName } from './project-name.js'
import {
  readBuild, readCommand, readDependsOn, readExpose, readKeyValues, readLinks, readString, type FieldContext,
} from './service-fields.js'
import { APPLIED_SERVICE_KEYS, PENDING_SERVICE_KEYS, PENDING_TOP_LEVEL_KEYS, TOP_LEVEL_KEYS } from './service-keys.js'
import type { ComposeProject, ServiceSpec } from './types.js'
import type { YamlPath } from './where.js'

export interface NormalizeOptions {
  /** Absolute directory against which relative paths resolve. */
  readonly projectDirectory: string
  /** `-p` or the API's project name; wins over every other source. */
  readonly projectName?: string
  /** The variables of the environment the project runs in, as the caller chooses to give them. */
  readonly lookup: (name: string) => string | undefined
}

/**
 * Turns the merged document into the typed model, adding what is wrong to `problems` and carrying
 * on, so that the later stages can report their problems in the same run. A service whose
 * definition is unusable is kept with defaults, so that references to it are not reported twice.
 */
export function normalize(merged: MergedCompose, options: NormalizeOptions, problems: Problems): ComposeProject {
  const ctx: FieldContext = { problems, projectDirectory: options.projectDirectory, lookup: options.lookup }
  const doc = merged.value
  const warnings: string[] = []
  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('x-')) continue
    if (!TOP_LEVEL_KEYS.has(key)) problems.add([key], 'unknown top-level key')
    else if (PENDING_TOP_LEVEL_KEYS.has(key) && !isEmpty(value)) problems.add([key], 'is not supported by compose-harness yet')
  }
  if ('version' in doc) warnings.push(`${merged.locate(['version']).file}: \`version\` is obsolete and ignored`)

  const name = projectName(doc, options, problems)
  const services: Record<string, ServiceSpec> = {}
  const rawServices = doc.services ?? {}
  if (!isMapping(rawServices)) problems.add(['services'], `expected a mapping of services, got ${describe(rawServices)}`)
  else if (Object.keys(rawServices).length === 0) problems.add(['services'], 'no services are defined')
  else {
    for (const [service, raw] of Object.entries(rawServices)) {
      services[service] = normalizeService(service, raw, name, ctx)
    }
  }
  return { name, directory: options.projectDirectory, files: merged.files, services, warnings }
}

function projectName(doc: Record<string, unknown>, options: NormalizeOptions, problems: Problems): string {
  const topLevel = typeof doc.name === 'string' ? doc.name : undefined
  if (doc.name !== undefined && topLevel === undefined) problems.add(['name'], `expected a string, got ${describe(doc.name)}`)
  const chosen = chooseProjectName({
    explicit: options.projectName,
    environment: options.lookup('COMPOSE_PROJECT_NAME'),
    topLevel,
    directory: options.projectDirectory,
  })
  if (!isValidProjectName(chosen.name)) {
    problems.add(chosen.from === 'name:' ? ['name'] : [], `invalid project name ${JSON.stringify(chosen.name)} (from ${chosen.from}): ` +
      'use lower case letters, digits, dashes and underscores, starting with a letter or digit')
  }
  return chosen.name
}

function normalizeService(name: string, definition: unknown, project: string, ctx: FieldContext): ServiceSpec {
  const path: YamlPath = ['services', name]
  if (!isMapping(definition)) ctx.problems.add(path, `expected a mapping, got ${describe(definition)}`)
  const raw = isMapping(definition) ? definition : { image: `${project}-${name}` }
  for (const key of Object.keys(raw)) {
    if (key.startsWith('x-') || APPLIED_SERVICE_KEYS.has(key)) continue
    ctx.problems.add([...path, key], PENDING_SERVICE_KEYS.has(key) ? 'is not supported by compose-harness yet' : 'unknown key')
  }
  const at = (key: string): YamlPath => [...path, key]
  const image = raw.image === undefined ? undefined : readString(raw.image, at('image'), ctx)
  const build = raw.build === undefined ? undefined : readBuild(raw.build, at('build'), ctx)
  if (raw.image === undefined && raw.build === undefined) ctx.problems.add(path, 'needs an `image` or a `build`')
  const command = raw.command === undefined ? undefined : readCommand(raw.command, at('command'), ctx)
  const entrypoint = raw.entrypoint === undefined ? undefined : readCommand(raw.entrypoint, at('entrypoint'), ctx)
  return {
    name,
    image: image ?? `${project}-${name}`,
    ...(build && { build }),
    expose: raw.expose === undefined ? [] : readExpose(raw.expose, at('expose'), ctx),
    links: raw.links === undefined ? [] : readLinks(raw.links, at('links'), ctx),
    dependsOn: raw.depends_on === undefined ? {} : readDependsOn(raw.depends_on, at('depends_on'), ctx),
    environment: raw.environment === undefined ? {} : readKeyValues(raw.environment, at('environment'), ctx),
    ...(command && { command }),
    ...(entrypoint && { entrypoint }),
  }
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (isMapping(value) && Object.keys(value).length === 0)
}
