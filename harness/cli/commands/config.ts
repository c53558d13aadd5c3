import { writeFileSync } from 'node:fs'
import { toComposeDocument, yamlForm } from '../../model/pipeline/to-compose.js'
import { withoutNormalization } from '../../model/pipeline/without-normalization.js'
import { configJson, configYaml, indentedJson, plainJson } from '../../model/pipeline/config-text.js'
import { VARIABLE_SHAPE } from '../../model/pipeline/go-shapes.js'
import { goYamlKeyOrder } from '../../model/pipeline/go-key-order.js'
import { withEmptyLists } from '../../model/pipeline/go-nil-list.js'
import { goYaml } from '../../model/document/go-yaml.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import type { Io } from '../io.js'
import type { Compose } from '../../api/compose.js'
import type { DeclaredVariable } from '../../model/interpolate/variables.js'
import { table } from './table.js'
import type { ComposeProject } from '../../model/project/types.js'
import { dependencyGraph, withDependencies } from '../../model/project/graph.js'
import { configHash } from '../../model/pipeline/config-hash.js'
import { checkServiceNames } from '../../model/project/service-selection.js'
import type { LoadedCompose } from '../../model/pipeline/load.js'

/** `config`'s options. */
export const CONFIG_OPTIONS = {
  services: { type: 'boolean' },
  images: { type: 'boolean' },
  volumes: { type: 'boolean' },
  networks: { type: 'boolean' },
  profiles: { type: 'boolean' },
  hash: { type: 'string' },
  variables: { type: 'boolean' },
  models: { type: 'boolean' },
  environment: { type: 'boolean' },
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  output: { type: 'string', short: 'o' },
  'no-consistency': { type: 'boolean' },
  'no-env-resolution': { type: 'boolean' },
  'no-path-resolution': { type: 'boolean' },
  'no-normalize': { type: 'boolean' },
  'no-interpolate': { type: 'boolean' },
  'resolve-image-digests': { type: 'boolean' },
  'lock-image-digests': { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `config [-q] [--services|--images|--volumes|--networks|--profiles|--hash S] [--format yaml|json]`: the
 * project as the harness reads it, written back as a compose document, or one of its lists, as Compose
 * v2 prints them.
 */
export const config: Command = async (compose, args, { say, sayText, warn }) => {
  const { values, positionals } = parseOptions('config', args, CONFIG_OPTIONS)
  if (values.variables) return printVariables(compose, values.format, { say, sayText })
  const format = formatOf('config', values.format, ['yaml', 'json'])
  // --no-env-resolution is accepted: Compose 2.40's config merges the env files all the same.
  // --compatibility prints without normalization, as in Compose v2.
  const noNormalize = values['no-normalize'] || compose.compatibility
  if (values['no-interpolate'] && (values.quiet || values.services || !listAsked(values)))
    return printRawModel(compose, values, format, noNormalize, { say, sayText })
  // The services named (and what they depend on) for the document, -q, --images, --profiles and
  // --environment, as Compose 2.40 selects them; its other lists take every service.
  const named = selectsServices(values) ? positionals : []
  // The lists, as v2's, read no service's env files; they and --environment check what services
  // refer to, not container names.
  const list = listAsked(values) && !values.environment
  const loaded = compose.withServicesEnabled(...named).load({
    consistency: values['no-consistency'] ? false : values.environment || list ? 'references' : true,
    resolvePaths: !values['no-path-resolution'],
    normalizeName: !noNormalize,
    readEnvFiles: !list,
  })
  const { written } = loaded
  const project = selectedServices(loaded, named)
  for (const warning of project.warnings) warn(`WARN ${warning}`)
  if (values.quiet) return 0
  const lines = values.environment ? environmentLines(compose) : listOf(project, values, compose.allResources)
  if (lines) lines.forEach((line) => say(line))
  else {
    const whole = toComposeDocument(project, { allResources: compose.allResources, written })
    const doc = await withDigests(
      compose,
      noNormalize ? withoutNormalization(whole, written, compose.allResources) : whole,
      values['lock-image-digests'] ? 'lock' : values['resolve-image-digests'] ? 'resolve' : undefined,
    )
    const text = format === 'json' ? configJson(doc) : configYaml(yamlForm(doc))
    // -o: the document goes to the file (the lists are printed all the same, as in Compose v2).
    if (values.output !== undefined) writeFileSync(values.output, format === 'json' ? text : `${text}\n`)
    else if (format === 'json') sayText(text)
    else say(text)
  }
  return 0
}

type ConfigValues = ReturnType<typeof parseOptions<typeof CONFIG_OPTIONS>>['values']

/** Whether what `config` prints is of the services named: Compose 2.40's `--services`, `--volumes`, `--networks`, `--models` and `--hash` ignore them. */
function selectsServices(values: ConfigValues): boolean {
  return !(values.services || values.volumes || values.networks || values.models || values.hash)
}

/**
 * The project with the services named and what they depend on (every service when none is named),
 * which must be its own: the networks, volumes and the rest that only other services use are left
 * out of the document with them.
 */
function selectedServices({ project, plan }: LoadedCompose, named: readonly string[]): ComposeProject {
  if (named.length === 0) return project
  checkServiceNames(project, named)
  const chosen = new Set(withDependencies(named, (s) => plan.dependencies.get(s) ?? []))
  return { ...project, services: Object.fromEntries(Object.entries(project.services).filter(([s]) => chosen.has(s))) }
}

/** Whether a flag asks for a list (or the environment) instead of the document. */
function listAsked(values: ConfigValues): boolean {
  return Boolean(
    values.services ||
    values.images ||
    values.volumes ||
    values.networks ||
    values.profiles ||
    values.models ||
    values.hash ||
    values.environment,
  )
}

/**
 * `--no-interpolate`: the plain model, every `${…}` as written, its keys in the order Go's writers
 * give them, as Compose v2 prints it (no `$$` escaping, every service whatever the profiles and the
 * services named); with `--services`, its services (v2's order is a Go map's: by name here).
 */
async function printRawModel(
  compose: Compose,
  values: ConfigValues,
  format: string,
  noNormalize: boolean,
  { say, sayText }: Pick<Io, 'say' | 'sayText'>,
): Promise<number> {
  const model = compose.rawModel({ resolvePaths: !values['no-path-resolution'], normalize: !noNormalize })
  if (values.quiet) return 0
  if (values.services) {
    Object.keys(model.services ?? {})
      .sort()
      .forEach((name) => say(name))
    return 0
  }
  const doc = await withDigests(
    compose,
    model,
    values['lock-image-digests'] ? 'lock' : values['resolve-image-digests'] ? 'resolve' : undefined,
  )
  const text = format === 'json' ? plainJson(doc) : goYaml(withEmptyLists(doc), goYamlKeyOrder).trimEnd()
  if (values.output !== undefined) writeFileSync(values.output, format === 'json' ? text : `${text}\n`)
  else if (format === 'json') sayText(text)
  else say(text)
  return 0
}

/**
 * `--resolve-image-digests`: each service's image pinned to its registry's digest;
 * `--lock-image-digests`: only that, a service and its pinned image each (an override file to
 * merge), as Compose v2 prints them.
 */
async function withDigests(
  compose: Compose,
  doc: Record<string, unknown>,
  digests: 'resolve' | 'lock' | undefined,
): Promise<Record<string, unknown>> {
  if (!digests) return doc
  const pinned = await compose.imageDigests()
  const services = doc.services as Record<string, Record<string, unknown>>
  const pin = (name: string, service: Record<string, unknown>) =>
    pinned.has(name) ? { ...service, image: pinned.get(name) } : service
  if (digests === 'lock')
    return { services: Object.fromEntries(Object.keys(services).map((name) => [name, pin(name, {})])) }
  return { ...doc, services: Object.fromEntries(Object.entries(services).map(([name, s]) => [name, pin(name, s)])) }
}

/** `--environment`: every variable the files see, `NAME=value`, by name. */
function environmentLines(compose: Compose): string[] {
  return Object.entries(compose.environment())
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
}

/** The list a flag asks for instead of the document, each sorted as Compose v2 sorts it; undefined for none. */
function listOf(
  project: ComposeProject,
  values: {
    services?: boolean
    images?: boolean
    volumes?: boolean
    networks?: boolean
    profiles?: boolean
    models?: boolean
    hash?: string
  },
  allResources: boolean,
): string[] | undefined {
  if (values.hash) return hashes(project, values.hash)
  // The networks, volumes and models some service uses (all with --all-resources), as the document has them.
  const used = (kind: 'networks' | 'volumes' | 'models') =>
    Object.keys(toComposeDocument(project, { allResources })[kind] ?? {}).sort()
  if (values.services) return inDependencyOrder(project)
  // Compose v2 prints the images in no particular order (a Go map's); by service name here.
  if (values.images)
    return Object.keys(project.services)
      .sort()
      .map((s) => project.services[s]!.image)
  // Compose v2 prints these in no particular order (a Go map's); by key here.
  if (values.volumes) return used('volumes')
  if (values.networks) return used('networks')
  if (values.profiles) return [...project.declaredProfiles]
  if (values.models) {
    const models = project.models as Record<string, { model?: unknown }>
    return used('models').flatMap((key) => {
      const model = models[key]?.model
      return typeof model === 'string' && model ? [model] : []
    })
  }
  return undefined
}

/** The services, each after what it depends on, and by name where the order leaves a choice, as Compose v2 lists them. */
function inDependencyOrder(project: ComposeProject): string[] {
  const graph = dependencyGraph(project)
  const out = new Set<string>()
  const visit = (service: string): void => {
    if (out.has(service)) return
    ;[...(graph.get(service) ?? [])].sort().forEach(visit)
    out.add(service)
  }
  Object.keys(project.services).sort().forEach(visit)
  return [...out]
}

/**
 * `--hash web,db` (`*` for all): each service's name and config hash, by name, as Compose v2's
 * `config --hash` computes it (the environment as written, env files listed, not read).
 */
function hashes(project: ComposeProject, names: string): string[] {
  const services = names === '*' ? Object.keys(project.services) : names.split(',')
  checkServiceNames(project, services)
  return [...services].sort().map((s) => `${s} ${configHash(project.services[s]!, { environment: 'as-written' })}`)
}

/** `--variables`: a table (the default), `--format json` or `yaml`, each variable by name (Compose v2's table is in no order). */
function printVariables(
  compose: Compose,
  format: string | undefined,
  { say, sayText }: Pick<Io, 'say' | 'sayText'>,
): number {
  const variables = [...compose.variables()].sort((a, b) => goYamlKeyOrder(a.name, b.name))
  const chosen = formatOf('config', format ?? 'table', ['table', 'json', 'yaml'])
  // compose-go's Variable: its fields by their Go names in JSON, lower-cased in YAML (yaml.v3's default).
  const fields = (v: DeclaredVariable) =>
    [
      ['Name', v.name],
      ['DefaultValue', v.defaultValue],
      ['PresenceValue', v.presenceValue],
      ['Required', v.required],
    ] as const
  // As v2 writes them: Docker's formatter, JSON indented by four and a blank line after it; YAML by yaml.Marshal, indented by four.
  if (chosen === 'json') {
    const byName = Object.fromEntries(variables.map((v) => [v.name, Object.fromEntries(fields(v))]))
    sayText(`${indentedJson(byName, { map: VARIABLE_SHAPE }, '    ')}\n\n`)
  } else if (chosen === 'yaml') {
    const lowerCased = (v: DeclaredVariable) => new Map(fields(v).map(([name, value]) => [name.toLowerCase(), value]))
    sayText(goYaml(new Map(variables.map((v) => [v.name, lowerCased(v)])), undefined, 4))
  } else
    table(
      [
        ['NAME', 'REQUIRED', 'DEFAULT VALUE', 'ALTERNATE VALUE'],
        ...variables.map((v) => [v.name, String(v.required), v.defaultValue, v.presenceValue]),
      ],
      20,
    ).forEach((line) => say(line))
  return 0
}
