import { resolve } from 'node:path'
import { parseBytes } from '../../model/fields/resource-fields.js'
import { chooseBuilder } from '../../runtime/images/build-images.js'
import { type OptionTable, parseOptions } from '../options.js'
import { UsageError } from '../usage-error.js'
import { SettingError } from '../../runtime/engine/runtime-errors.js'
import { progressOf, progressPrinter } from '../progress.js'
import type { Command } from './command.js'
import { report } from './pull.js'

/** `build`'s options. */
export const BUILD_OPTIONS = {
  'no-cache': { type: 'boolean' },
  pull: { type: 'boolean' },
  'build-arg': { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  'with-dependencies': { type: 'boolean' },
  ssh: { type: 'string' },
  push: { type: 'boolean' },
  memory: { type: 'string', short: 'm' },
  print: { type: 'boolean' },
  builder: { type: 'string' },
  check: { type: 'boolean' },
  provenance: { type: 'string' },
  sbom: { type: 'string' },
} as const satisfies OptionTable

/**
 * `build [OPTIONS] [SERVICE…]`: the images, whether or not they exist; with `--push`, then pushed
 * (the images services name), as Compose v2 does.
 */
export const build: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('build', args, BUILD_OPTIONS)
  const buildArgs = Object.fromEntries(
    (values['build-arg'] ?? []).map((entry) => {
      const at = entry.indexOf('=')
      if (at <= 0) throw new UsageError(`build: --build-arg takes KEY=VALUE, got ${entry}`)
      return [entry.slice(0, at), entry.slice(at + 1)]
    }),
  )
  refuseOtherBuilder(values.builder ?? process.env.BUILDX_BUILDER)
  const memoryBytes = values.memory === undefined ? undefined : parseBytes(values.memory)
  if (values.memory !== undefined && memoryBytes === undefined)
    throw new UsageError(`build: --memory takes an amount of bytes such as 512m or 2g, got ${values.memory}`)
  // As Compose v2 says it, for each image, before the build.
  if (memoryBytes !== undefined && chooseBuilder(process.env, true) === 'buildkit')
    io.warn('WARNING: --memory is not supported by BuildKit and will be ignored')
  const options = {
    services: positionals,
    noCache: Boolean(values['no-cache']),
    pull: Boolean(values.pull),
    buildArgs,
    withDependencies: Boolean(values['with-dependencies']),
    ...(values.ssh !== undefined && { ssh: [sshEntry(values.ssh)] }),
    ...(memoryBytes !== undefined && { memoryBytes }),
    ...(values.provenance !== undefined && { provenance: values.provenance }),
    ...(values.sbom !== undefined && { sbom: values.sbom }),
    // As Compose v2's `build` (not its `up`): the files' `provenance` and `sbom` are read too.
    attestations: true,
  }
  // --check is taken as Compose 2.40 takes it without buildx (this machine's case): the build runs.
  // --print: the bake file Compose v2 would hand buildx, as Go's JSON writes it; nothing is built.
  if (values.print) {
    io.say(goEscaped(JSON.stringify(compose.bakeDefinition({ ...options, push: Boolean(values.push) }), null, 2)))
    return 0
  }
  const progress = values.quiet ? progressPrinter(io.status, 'quiet') : progressOf(io)
  await compose.build('always', progress.build, options).finally(progress.done)
  if (!values.push) return 0
  const pushed = await compose.push(positionals, {
    includeDeps: Boolean(values['with-dependencies']),
    ...(!values.quiet && { onProgress: progress.step }),
  })
  return report(pushed, io, () => false)
}

/**
 * Another builder than the engine's own (buildx's `default`, the docker driver), refused as
 * Compose 2.40 refuses a builder it cannot find. Attestations (`--provenance`, `--sbom`) are the
 * build's to take or refuse, by the engine's image store.
 */
function refuseOtherBuilder(builder: string | undefined): void {
  if (builder !== undefined && builder !== '' && builder !== 'default')
    throw new SettingError(
      `no builder "${builder}" found: compose-harness builds with the engine's own builder ("default")`,
    )
}

/** JSON as Go's encoding/json writes it: `<`, `>` and `&` escaped. */
function goEscaped(json: string): string {
  return json.replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
}

/** `--ssh default` (or empty), `--ssh ID`, or `--ssh ID=PATH[,PATH…]` with each path from the current directory. */
function sshEntry(value: string): string {
  if (value === '') return 'default'
  const at = value.indexOf('=')
  if (at < 0) {
    if (value !== 'default') throw new UsageError(`build: invalid ssh key "${value}": give default or ID=PATH`)
    return value
  }
  const paths = value.slice(at + 1).split(',')
  return `${value.slice(0, at)}=${paths.map((p) => resolve(p)).join(',')}`
}
