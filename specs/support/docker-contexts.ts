import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface DockerContextSettings {
  /** The context's TLS files (`ca.pem`, `cert.pem`, `key.pem`), by name, with their contents. */
  readonly tls?: Readonly<Record<string, string | Buffer>>
  readonly skipTlsVerify?: boolean
}

/**
 * A Docker context as `docker context create NAME --docker host=HOST[,ca=…][,skip-tls-verify=true]`
 * stores it in the docker CLI's config directory `config`: its endpoint in `contexts/meta/`, its
 * TLS files in `contexts/tls/`, each under the digest of its name. Returns the directory of its
 * TLS files (made only when it has some).
 */
export function writeDockerContext(
  config: string,
  name: string,
  host: string,
  { tls, skipTlsVerify = false }: DockerContextSettings = {},
): string {
  const digest = createHash('sha256').update(name).digest('hex')
  const meta = join(config, 'contexts', 'meta', digest)
  mkdirSync(meta, { recursive: true })
  writeFileSync(
    join(meta, 'meta.json'),
    JSON.stringify({ Name: name, Endpoints: { docker: { Host: host, SkipTLSVerify: skipTlsVerify } } }),
  )
  const certs = join(config, 'contexts', 'tls', digest, 'docker')
  if (tls) {
    mkdirSync(certs, { recursive: true })
    for (const [file, contents] of Object.entries(tls)) writeFileSync(join(certs, file), contents)
  }
  return certs
}
