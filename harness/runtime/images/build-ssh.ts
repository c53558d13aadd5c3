import { existsSync, readFileSync, statSync } from 'node:fs'
import { isMapping } from '../../model/document/values.js'
import type { BuildSpec } from '../../model/project/types.js'
import { KeyFileAgent, KeyFileError } from './ssh-agent.js'

/** An SSH agent a build may use (`RUN --mount=type=ssh,id=ID`): the agent of SSH_AUTH_SOCK, a socket, or key files. */
export interface BuildSshAgent {
  readonly id: string
  /** None: the agent SSH_AUTH_SOCK names. One socket, or key files. */
  readonly paths: readonly string[]
}

/**
 * Pure: the build's `ssh` as Compose v2 reads it: `default` (or `ID` alone) is the agent of
 * SSH_AUTH_SOCK; `ID=PATH[,PATH…]` is a socket or key files (paths from the project directory,
 * as the model made them); the mapping form `{ID: PATH}` the same.
 */
export function buildSshAgents(build: BuildSpec): BuildSshAgent[] {
  const written = build.options.ssh
  const pairs: [string, string | undefined][] = Array.isArray(written)
    ? written.map((item) => {
        const text = String(item)
        const at = text.indexOf('=')
        return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)]
      })
    : isMapping(written)
      ? Object.entries(written).map(([id, path]) => [id, typeof path === 'string' && path !== '' ? path : undefined])
      : []
  return pairs.map(([id, path]) => ({ id: id || 'default', paths: path === undefined ? [] : path.split(',') }))
}

/** Where the session forwards BuildKit for an agent: a socket's path, or an agent of this process for key files. */
export type AgentEndpoint = string | KeyFileAgent

/** Why a build's ssh agent cannot be had, with what to do. */
export class BuildSshError extends Error {}

/**
 * The agents a build names, as Compose v2 finds them: `default` and an ID without a path are the
 * agent SSH_AUTH_SOCK names; a path to a socket is that agent; key files are served by an agent
 * in this process (ssh-agent.ts), as v2 serves them from its own.
 */
export function sshAgentEndpoints(
  agents: readonly BuildSshAgent[],
  env: NodeJS.ProcessEnv,
): Map<string, AgentEndpoint> {
  const endpoints = new Map<string, AgentEndpoint>()
  for (const { id, paths } of agents) {
    if (paths.length === 0) {
      const socket = env.SSH_AUTH_SOCK
      if (!socket)
        throw new BuildSshError(
          `build.ssh "${id}" is the ssh agent SSH_AUTH_SOCK names, and SSH_AUTH_SOCK is not set: start an agent (\`eval $(ssh-agent)\`, \`ssh-add\`), or name key files (\`${id}=~/.ssh/id_ed25519\`)`,
        )
      endpoints.set(id, socket)
      continue
    }
    const missing = paths.find((p) => !existsSync(p))
    if (missing) throw new BuildSshError(`build.ssh "${id}" names ${missing}, which does not exist`)
    if (paths.length === 1 && statSync(paths[0]!).isSocket()) {
      endpoints.set(id, paths[0]!)
      continue
    }
    try {
      endpoints.set(id, new KeyFileAgent(paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }))))
    } catch (error) {
      if (error instanceof KeyFileError) throw new BuildSshError(`build.ssh "${id}": ${error.message}`)
      throw error
    }
  }
  return endpoints
}
