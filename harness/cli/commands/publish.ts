import { createInterface } from 'node:readline'
import { bindMountsShown, PublishError, publishedVariables } from '../../runtime/images/compose-artifact.js'
import type { Compose } from '../../api/compose.js'
import { type OptionTable, parseOptions } from '../options.js'
import { showingProgress } from '../progress.js'
import { UsageError } from '../usage-error.js'
import type { Command } from './command.js'

/** `publish`'s options. */
export const PUBLISH_OPTIONS = {
  'resolve-image-digests': { type: 'boolean' },
  'oci-version': { type: 'string' },
  'with-env': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  app: { type: 'boolean' },
} as const satisfies OptionTable

/**
 * `publish [--with-env] [--resolve-image-digests] [--oci-version 1.0|1.1] [--app] [-y] REPOSITORY[:TAG]`:
 * the project as an OCI artifact in a registry, as Compose v2 publishes it. Before, as v2 does
 * unless `-y` says yes to all: a project with bind mounts, or with variables and `--with-env`, is
 * shown and the user asked (no answer, no publishing, exit 0); variables without `--with-env` are
 * refused, naming each service.
 */
export const publish: Command = async (compose, args, io) => {
  const { values, positionals } = parseOptions('publish', args, PUBLISH_OPTIONS)
  if (positionals.length !== 1)
    throw new UsageError(`publish: takes REPOSITORY[:TAG], got ${positionals.length} argument(s)`)
  const version = values['oci-version']
  if (version !== undefined && version !== '1.0' && version !== '1.1')
    throw new UsageError(`publish: unsupported OCI version: ${version} (1.0 or 1.1)`)
  const withEnv = Boolean(values['with-env'])
  if (!values.yes && !(await accepted(compose, withEnv))) return 0
  await showingProgress(io, (onProgress) =>
    compose.publish(positionals[0]!, {
      withEnv,
      resolveImageDigests: Boolean(values['resolve-image-digests']),
      app: Boolean(values.app),
      ...(version !== undefined && { ociVersion: version }),
      onProgress,
    }),
  )
  return 0
}

/** Compose v2's checks before publishing: what would be published that the user should see, asked about on standard output. */
async function accepted(compose: Compose, withEnv: boolean): Promise<boolean> {
  const refused = compose.publishRefusal()
  if (refused) throw new PublishError(refused)
  const { project } = compose.withProfiles('*').load()
  const mounts = bindMountsShown(project)
  if (
    mounts &&
    !(await confirm(
      'you are about to publish bind mounts declaration within your OCI artifact.\n' +
        'only the bind mount declarations will be added to the OCI artifact (not content)\n' +
        "please double check that you are not mounting potential user's sensitive directories or data\n" +
        `${mounts}Are you ok to publish these bind mount declarations?`,
    ))
  )
    return false
  const variables = publishedVariables(project)
  if (variables.length === 0) return true
  if (!withEnv)
    throw new PublishError(
      `${variables.flatMap((v) => v.why.map((w) => `${w}\n`)).join('')}` +
        'To avoid leaking sensitive data, you must either explicitly allow the sending of environment variables by using the --with-env flag,\n' +
        'or remove sensitive data from your Compose configuration',
    )
  return confirm(
    'you are about to publish environment variables within your OCI artifact.\n' +
      'please double check that you are not leaking sensitive data\n' +
      variables.map((v) => `Service/Config  ${v.name}\n${v.entries.map((e) => `${e}\n`).join('')}`).join('') +
      'Are you ok to publish these environment variables?',
  )
}

/** Asks on standard output, as Compose v2 does (no newline after the question); yes only for `y` or `yes` read from standard input. */
function confirm(question: string): Promise<boolean> {
  process.stdout.write(question)
  const lines = createInterface({ input: process.stdin })
  return new Promise((answer) => {
    lines.once('line', (line) => {
      lines.close()
      answer(/^\s*y(es)?\s*$/i.test(line))
    })
    lines.once('close', () => answer(false))
  })
}
