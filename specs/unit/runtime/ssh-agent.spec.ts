import { spawnSync } from 'node:child_process'
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyFileAgent, KeyFileError } from '../../../harness/runtime/images/ssh-agent.js'

/** SSH's string: a length, then the bytes. */
const str = (b: Buffer | string) => {
  const bytes = Buffer.from(b)
  const n = Buffer.alloc(4)
  n.writeUInt32BE(bytes.length)
  return Buffer.concat([n, bytes])
}
const frame = (m: Buffer) => str(m)

/** Reads SSH strings off a buffer. */
function strings(buf: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (let at = 0; at < buf.length;) {
    const n = buf.readUInt32BE(at)
    out.push(buf.subarray(at + 4, at + 4 + n))
    at += 4 + n
  }
  return out
}

/** The agent's identities, each as its public blob and comment. */
function identities(agent: KeyFileAgent): { blob: Buffer; comment: string }[] {
  const [answer] = agent.connection()(frame(Buffer.from([11])))
  expect(answer![4]).toBe(12)
  const count = answer!.readUInt32BE(5)
  const fields = strings(answer!.subarray(9))
  return Array.from({ length: count }, (_, i) => ({ blob: fields[2 * i]!, comment: fields[2 * i + 1]!.toString() }))
}

/** Asks the agent to sign `data` with the key of `blob`; gives back the signature's algorithm and bytes. */
function signed(agent: KeyFileAgent, blob: Buffer, data: Buffer, flags = 0): [string, Buffer] {
  const flagBytes = Buffer.alloc(4)
  flagBytes.writeUInt32BE(flags)
  // Written in two pieces: a request may arrive split across messages.
  const request = frame(Buffer.concat([Buffer.from([13]), str(blob), str(data), flagBytes]))
  const converse = agent.connection()
  expect(converse(request.subarray(0, 7))).toEqual([])
  const [answer] = converse(request.subarray(7))
  expect(answer![4]).toBe(14)
  const [signature] = strings(answer!.subarray(5))
  const [algorithm, bytes] = strings(signature!)
  return [algorithm!.toString(), bytes!]
}

const data = Buffer.from('session data to sign')

describe('the ssh agent of a build’s key files, as Compose v2 serves them', () => {
  it('lists and signs with ed25519, RSA (SHA-2 as asked) and ECDSA keys from PEM, without comments', () => {
    const cases: [string, { publicKey: KeyObject; privateKey: KeyObject }, string, string | null, number][] = [
      ['ed25519', generateKeyPairSync('ed25519'), 'ssh-ed25519', null, 0],
      ['rsa', generateKeyPairSync('rsa', { modulusLength: 2048 }), 'rsa-sha2-512', 'sha512', 4],
      ['ec', generateKeyPairSync('ec', { namedCurve: 'P-256' }), 'ecdsa-sha2-nistp256', 'sha256', 0],
    ]
    for (const [name, pair, algorithm, hash, flags] of cases) {
      const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
      const agent = new KeyFileAgent([{ path: `${name}.pem`, text: pem }])
      const [identity] = identities(agent)
      expect(identity!.comment, name).toBe('')
      const [used, signature] = signed(agent, identity!.blob, data, flags)
      expect(used, name).toBe(algorithm)
      // An ECDSA signature is SSH's pair of mpints; the others are the signature itself.
      const bytes =
        name === 'ec'
          ? Buffer.concat(
              strings(signature).map((n) =>
                Buffer.concat([Buffer.alloc(32), n.subarray(n[0] === 0 ? 1 : 0)]).subarray(-32),
              ),
            )
          : signature
      expect(
        verify(hash, data, name === 'ec' ? { key: pair.publicKey, dsaEncoding: 'ieee-p1363' } : pair.publicKey, bytes),
        name,
      ).toBe(true)
    }
  })

  it("reads OpenSSH's own format as ssh-keygen writes it, listing the key its .pub file holds", () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'))
    for (const type of ['ed25519', 'rsa', 'ecdsa']) {
      const file = join(dir, type)
      const made = spawnSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'a comment', '-f', file])
      expect(made.status, String(made.stderr)).toBe(0)
      const agent = new KeyFileAgent([{ path: file, text: readFileSync(file, 'utf8') }])
      const [identity] = identities(agent)
      expect(identity!.blob.toString('base64'), type).toBe(readFileSync(`${file}.pub`, 'utf8').split(' ')[1])
      const [algorithm, signature] = signed(agent, identity!.blob, data, 2)
      if (type === 'ed25519') {
        const jwk = { kty: 'OKP', crv: 'Ed25519', x: strings(identity!.blob)[1]!.toString('base64url') }
        expect(verify(null, data, createPublicKey({ key: jwk, format: 'jwk' }), signature)).toBe(true)
      }
      expect(algorithm, type).toBe({ ed25519: 'ssh-ed25519', rsa: 'rsa-sha2-256', ecdsa: 'ecdsa-sha2-nistp256' }[type])
    }
  })

  it('refuses a key protected by a passphrase, and answers failure to what it does not do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'))
    const file = join(dir, 'locked')
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret', '-f', file])
    expect(() => new KeyFileAgent([{ path: file, text: readFileSync(file, 'utf8') }])).toThrow(KeyFileError)
    expect(() => new KeyFileAgent([{ path: file, text: readFileSync(file, 'utf8') }])).toThrow(/passphrase/)
    const agent = new KeyFileAgent([])
    // SSH_AGENTC_REMOVE_ALL_IDENTITIES: a build's agent is read-only.
    expect(agent.connection()(frame(Buffer.from([19])))).toEqual([frame(Buffer.from([5]))])
  })
})
