import { yamlLibrary } from '../../model/document/yaml-library.js'
import { toComposeDocument } from '../../model/pipeline/to-compose.js'
import { formatOf, type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'

/** `config`'s options. */
export const CONFIG_OPTIONS = {
  services: { type: 'boolean' },
  format: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies OptionTable

/** `config [-q] [--services] [--format yaml|json]`: the project as the harness reads it, written back as a compose document. */
export const config: Command = async (compose, args, { say, warn }) => {
  const { values } = parseOptions('config', args, CONFIG_OPTIONS)
  const format = formatOf('config', values.format, ['yaml', 'json'])
  const { project } = compose.load()
  for (const warning of project.warnings) warn(`WARN ${warning}`)
  if (values.quiet) return 0
  const doc = toComposeDocument(project)
  say(
    values.services
      ? Object.keys(project.services).join('\n')
      : format === 'json'
        ? JSON.stringify(doc, null, 2)
        : yamlLibrary().stringify(doc).trimEnd(),
  )
  return 0
}
