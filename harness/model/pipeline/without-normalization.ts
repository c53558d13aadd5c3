import { isMapping } from '../document/values.js'

type Doc = Record<string, unknown>

const mapping = (value: unknown): Doc => (isMapping(value) ? value : {})

/**
 * Pure: a compose document (`toComposeDocument`'s) without what compose-go's normalization adds to
 * what the files wrote, as `config --no-normalize` prints it: the `default` network a service is put
 * on when it names none (and the top-level one that comes with it), the names resources get from
 * their keys, a build's default `dockerfile` (its default `context` is not normalization's: it
 * stays) and the values of its `args` written without one, the `depends_on` entries that `links`, `volumes_from` and `network_mode: service:…`
 * imply, a mount's target as written (normalized without its trailing `/`), and `pull_policy:
 * if_not_present` as written (normalized to `missing`). `written` is the merged document, as the
 * files wrote it. A network that no service names then is left out (unless `allResources`).
 */
export function withoutNormalization(doc: Doc, written: Doc, allResources = false): Doc {
  const out: Doc = { ...doc }
  const writtenServices = mapping(written.services)
  out.services = Object.fromEntries(
    Object.entries(mapping(doc.services)).map(([name, service]) => [
      name,
      serviceAsWritten(mapping(service), mapping(writtenServices[name])),
    ]),
  )
  for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
    if (!isMapping(doc[kind])) continue
    const declared = mapping(written[kind])
    // A network no service names once their default one is gone is left out, as v2 leaves out what no service uses.
    const named = new Set(
      Object.values(mapping(out.services)).flatMap((s) => Object.keys(mapping(mapping(s).networks))),
    )
    const kept = Object.entries(doc[kind])
      .filter(([key]) => key in declared && (kind !== 'networks' || allResources || named.has(key)))
      .map(([key, resource]) => [key, resourceAsWritten(mapping(resource), mapping(declared[key]))] as const)
    if (kept.length > 0) out[kind] = Object.fromEntries(kept)
    else delete out[kind]
  }
  return out
}

function serviceAsWritten(service: Doc, written: Doc): Doc {
  const out: Doc = { ...service }
  if (!('networks' in written)) delete out.networks
  if (isMapping(service.build)) {
    const build: Doc = { ...service.build }
    const asWritten = mapping(written.build)
    if (!('dockerfile' in asWritten)) delete build.dockerfile
    const unvalued = namesWithoutValue(asWritten.args)
    if (unvalued.length > 0)
      build.args = { ...mapping(build.args), ...Object.fromEntries(unvalued.map((n) => [n, null])) }
    out.build = build
  }
  if (Array.isArray(service.volumes) && Array.isArray(written.volumes)) {
    const writtenMounts = written.volumes as unknown[]
    out.volumes = (service.volumes as unknown[]).map((mount, i) => mountAsWritten(mapping(mount), writtenMounts[i]))
  }
  if (isMapping(service.depends_on)) {
    const declared = mapping(written.depends_on)
    const listed = Array.isArray(written.depends_on) ? (written.depends_on as unknown[]) : []
    const kept = Object.entries(service.depends_on).filter(([dep]) => dep in declared || listed.includes(dep))
    if (kept.length > 0) out.depends_on = Object.fromEntries(kept)
    else delete out.depends_on
  }
  if (written.pull_policy === 'if_not_present') out.pull_policy = 'if_not_present'
  return out
}

/** The build args written with no value (`- NAME`, `NAME:`), which normalization looks up in the environment. */
function namesWithoutValue(args: unknown): string[] {
  if (Array.isArray(args)) return args.filter((a): a is string => typeof a === 'string' && !a.includes('='))
  return Object.entries(mapping(args)).flatMap(([name, value]) => (value === null || value === undefined ? [name] : []))
}

function resourceAsWritten(resource: Doc, written: Doc): Doc {
  const out: Doc = { ...resource }
  // `external: {name: …}`, the older form, is read as `name:` before normalization.
  if (!('name' in written) && !('name' in mapping(written.external))) delete out.name
  return out
}

/**
 * A mount with its target as written in the long syntax: the same path, with the trailing `/`
 * normalization takes away (the short syntax's is dropped as it is read).
 */
function mountAsWritten(mount: Doc, written: unknown): Doc {
  const { target } = mount
  const writtenTarget = mapping(written).target
  return typeof target === 'string' && typeof writtenTarget === 'string' && writtenTarget.replace(/\/+$/, '') === target
    ? { ...mount, target: writtenTarget }
    : mount
}
