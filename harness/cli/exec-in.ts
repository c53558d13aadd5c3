import type { Compose } from '../compose.js'
import { UsageError } from './args.js'

/** `exec SERVICE CMD…`: the command's output as it comes, and its exit code as the CLI's. */
export async function execStreamingIn(compose: Compose, service: string, command: string[]): Promise<number> {
  const project = await compose.attach()
  const handle = project.services.find((h) => h.service === service && h.number === 1)
  if (!handle) throw new UsageError(`exec: service "${service}" has no running container in project ${project.name}`)
  return handle.execStreaming(command, process.stdout, process.stderr)
}
