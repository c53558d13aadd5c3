import type { CommandSpec, ComposeProject, ServiceSpec } from './types.js'

/** The model written back as a compose document in long syntax, as `docker compose config` prints it. */
export function toComposeDocument(project: ComposeProject): Record<string, unknown> {
  return {
    name: project.name,
    services: Object.fromEntries(Object.values(project.services).map((s) => [s.name, serviceDocument(s)])),
  }
}

function serviceDocument(s: ServiceSpec): Record<string, unknown> {
  const doc: Record<string, unknown> = { image: s.image }
  if (s.build) {
    doc.build = {
      context: s.build.context,
      dockerfile: s.build.dockerfile,
      ...(Object.keys(s.build.args).length > 0 && { args: s.build.args }),
      ...(s.build.target !== undefined && { target: s.build.target }),
    }
  }
  if (s.command) doc.command = commandDocument(s.command)
  if (s.entrypoint) doc.entrypoint = commandDocument(s.entrypoint)
  if (Object.keys(s.dependsOn).length > 0) doc.depends_on = s.dependsOn
  if (Object.keys(s.environment).length > 0) doc.environment = s.environment
  if (s.expose.length > 0) doc.expose = s.expose.map((p) => p.replace(/\/tcp$/, ''))
  if (s.links.length > 0) doc.links = s.links.map((l) => (l.alias === l.service ? l.service : `${l.service}:${l.alias}`))
  return doc
}

function commandDocument(command: CommandSpec): string | readonly string[] {
  return command.form === 'string' ? command.text : command.args
}
