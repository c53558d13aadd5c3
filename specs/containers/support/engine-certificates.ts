import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes, with openssl, the certificates of a Docker engine served over TLS as GitLab CI's
 * docker:dind serves it: a CA, the engine's own (for `address`) in `dir/server`, and a client's in
 * `dir/client`, each directory holding `ca.pem`, `cert.pem` and `key.pem`. `dir/server` appears
 * whole, at once (the engine waits for it). Valid for a day.
 */
export function writeEngineCertificates(dir: string, address: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=compose-harness test CA',
    '-keyout',
    'ca-key.pem',
    '-out',
    'ca.pem',
  )
  const issue = (name: string, subject: string, extensions: string) => {
    const to = join(dir, `${name}.new`)
    mkdirSync(to)
    writeFileSync(join(dir, `${name}.ext`), extensions)
    openssl(
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.new/key.pem`,
      '-out',
      `${name}.csr`,
    )
    openssl(
      'x509',
      '-req',
      '-days',
      '1',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.new/cert.pem`,
    )
    copyFileSync(join(dir, 'ca.pem'), join(dir, `${name}.new`, 'ca.pem'))
    renameSync(to, join(dir, name))
  }
  issue('client', '/CN=client', 'extendedKeyUsage=clientAuth\n')
  issue('server', '/CN=docker', `subjectAltName=IP:${address},DNS:docker\nextendedKeyUsage=serverAuth\n`)
}
