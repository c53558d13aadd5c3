import type { DockerComposeEnvironment } from 'testcontainers'

/**
 * DockerComposeEnvironment's client for Compose v2 as provisioning found it: a standalone binary
 * (`[path]`), else the `docker compose` plugin, testcontainers' default.
 */
export function composeV2ClientOptions(
  reference: readonly string[],
): Parameters<DockerComposeEnvironment['withClientOptions']>[0] {
  return reference.length === 1 ? { executable: { standalone: true, executablePath: reference[0]! } } : {}
}
