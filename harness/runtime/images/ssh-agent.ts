import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto'

/**
 * An SSH agent in this process for the key files a build's `ssh` names, as Compose v2 serves
 * them from its own process: it lists the keys (without comments, as v2's does) and signs with
 * them; it adds, removes and locks nothing. Keys are read from OpenSSH's format or PEM; one
 * protected by a passphrase is refused. Speaks the agent protocol over whatever carries its bytes
 * (the build session's ForwardAgent stream).
 */
export class KeyFileAgent {
  private readonly keys: readonly AgentKey[]

  constructor(keyFiles: readonly { readonly path: string; readonly text: string }[]) {
    this.keys = keyFiles.map(({ path, text }) => readPrivateKey(path, text))
  }

  /** One client's conversation: the bytes it writes in, the bytes of the answers to its complete requests out. */
  connection(): (bytes: Uint8Array) => Buffer[] {
    let pending = Buffer.alloc(0)
    return (bytes) => {
      pending = Buffer.concat([pending, bytes])
      const answers: Buffer[] = []
      while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
        const length = pending.readUInt32BE(0)
        answers.push(frame(this.answer(pending.subarray(4, 4 + length))))
        pending = pending.subarray(4 + length)
      }
      return answers
    }
  }

  private answer(request: Buffer): Buffer {
    switch (request[0]) {
      case AGENT.requestIdentities:
        return Buffer.concat([
          Buffer.from([AGENT.identitiesAnswer]),
          uint32(this.keys.length),
          ...this.keys.flatMap((k) => [sshString(k.publicBlob), sshString('')]),
        ])
      case AGENT.signRequest: {
        const reader = new SshReader(request.subarray(1))
        const blob = reader.bytes()
        const data = reader.bytes()
        const flags = reader.uint32()
        const key = this.keys.find((k) => k.publicBlob.equals(blob))
        if (!key) return Buffer.from([AGENT.failure])
        return Buffer.concat([Buffer.from([AGENT.signResponse]), sshString(key.sign(data, flags))])
      }
      default:
        return Buffer.from([AGENT.failure])
    }
  }
}

/** Why a key file cannot be served. */
export class KeyFileError extends Error {}

const AGENT = {
  failure: 5,
  requestIdentities: 11,
  identitiesAnswer: 12,
  signRequest: 13,
  signResponse: 14,
  rsaSha256: 2,
  rsaSha512: 4,
} as const

interface AgentKey {
  /** The public key in SSH's wire form, as the agent lists it. */
  readonly publicBlob: Buffer
  /** The signature blob (algorithm and signature) of `data`. */
  sign(data: Buffer, flags: number): Buffer
}

const CURVES: Readonly<Record<string, { crv: string; hash: string; size: number }>> = {
  nistp256: { crv: 'P-256', hash: 'sha256', size: 32 },
  nistp384: { crv: 'P-384', hash: 'sha384', size: 48 },
  nistp521: { crv: 'P-521', hash: 'sha512', size: 66 },
}

/** Pure: a private key file's key, from OpenSSH's format or PEM (PKCS#1, SEC1, PKCS#8). */
export function readPrivateKey(path: string, text: string): AgentKey {
  const openssh = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text)
  let jwk: JsonWebKey
  if (openssh) jwk = opensshKey(path, Buffer.from(openssh[1]!.replace(/\s+/g, ''), 'base64'))
  else {
    try {
      jwk = createPrivateKey(text).export({ format: 'jwk' })
    } catch (error) {
      const reason = /passphrase/i.test(String(error)) ? 'it is protected by a passphrase' : String(error)
      throw new KeyFileError(`${path} is not a private key this build can use: ${reason}`)
    }
  }
  return agentKey(path, jwk)
}

function agentKey(path: string, jwk: JsonWebKey): AgentKey {
  const key: KeyObject = createPrivateKey({ key: jwk, format: 'jwk' })
  const b = (field: string | undefined) => Buffer.from(field ?? '', 'base64url')
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') {
    return {
      publicBlob: Buffer.concat([sshString('ssh-ed25519'), sshString(b(jwk.x))]),
      sign: (data) => Buffer.concat([sshString('ssh-ed25519'), sshString(sign(null, data, key))]),
    }
  }
  if (jwk.kty === 'RSA') {
    return {
      publicBlob: Buffer.concat([sshString('ssh-rsa'), sshString(mpint(b(jwk.e))), sshString(mpint(b(jwk.n)))]),
      sign: (data, flags) => {
        const [name, hash]: [string, string] =
          flags & AGENT.rsaSha512
            ? ['rsa-sha2-512', 'sha512']
            : flags & AGENT.rsaSha256
              ? ['rsa-sha2-256', 'sha256']
              : ['ssh-rsa', 'sha1']
        return Buffer.concat([sshString(name), sshString(sign(hash, data, key))])
      },
    }
  }
  const curve = Object.entries(CURVES).find(([, c]) => c.crv === jwk.crv)
  if (jwk.kty === 'EC' && curve) {
    const [name, { hash }] = curve
    const type = `ecdsa-sha2-${name}`
    const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)])
    return {
      publicBlob: Buffer.concat([sshString(type), sshString(name), sshString(point)]),
      sign: (data) => {
        const rs = sign(hash, data, { key, dsaEncoding: 'ieee-p1363' })
        const half = rs.length / 2
        const inner = Buffer.concat([sshString(mpint(rs.subarray(0, half))), sshString(mpint(rs.subarray(half)))])
        return Buffer.concat([sshString(type), sshString(inner)])
      },
    }
  }
  throw new KeyFileError(
    `${path} holds a kind of key this build cannot serve (${jwk.kty} ${jwk.crv ?? ''}): use ed25519, RSA or ECDSA`,
  )
}

/** OpenSSH's own private key format (`openssh-key-v1`), unencrypted, as a JWK. */
function opensshKey(path: string, raw: Buffer): JsonWebKey {
  const magic = 'openssh-key-v1\0'
  if (raw.subarray(0, magic.length).toString('latin1') !== magic)
    throw new KeyFileError(`${path} is not an OpenSSH private key`)
  const outer = new SshReader(raw.subarray(magic.length))
  const cipher = outer.text()
  if (cipher !== 'none')
    throw new KeyFileError(
      `${path} is protected by a passphrase, which a build cannot be asked for: load it into your ssh agent and name the agent instead`,
    )
  outer.text() // kdf name
  outer.bytes() // kdf options
  if (outer.uint32() !== 1) throw new KeyFileError(`${path} holds several keys: give one key a file`)
  outer.bytes() // public key
  const r = new SshReader(outer.bytes())
  if (r.uint32() !== r.uint32()) throw new KeyFileError(`${path} is damaged (its check numbers differ)`)
  const type = r.text()
  const url = (bytes: Buffer) => bytes.toString('base64url')
  const unsigned = (bytes: Buffer) => (bytes[0] === 0 ? bytes.subarray(1) : bytes)
  if (type === 'ssh-ed25519') {
    const pub = r.bytes()
    const priv = r.bytes()
    return { kty: 'OKP', crv: 'Ed25519', x: url(pub), d: url(priv.subarray(0, 32)) }
  }
  if (type === 'ssh-rsa') {
    const [n, e, d, qi, p, q] = [r.bytes(), r.bytes(), r.bytes(), r.bytes(), r.bytes(), r.bytes()].map(unsigned)
    const big = (x: Buffer) => BigInt(`0x${x.toString('hex') || '0'}`)
    const bytes = (x: bigint) => {
      const hex = x.toString(16)
      return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex')
    }
    return {
      kty: 'RSA',
      n: url(n!),
      e: url(e!),
      d: url(d!),
      p: url(p!),
      q: url(q!),
      dp: url(bytes(big(d!) % (big(p!) - 1n))),
      dq: url(bytes(big(d!) % (big(q!) - 1n))),
      qi: url(qi!),
    }
  }
  const curve = CURVES[type.replace(/^ecdsa-sha2-/, '')]
  if (type.startsWith('ecdsa-sha2-') && curve) {
    r.text() // curve name
    const point = r.bytes()
    const d = unsigned(r.bytes())
    const coordinate = (x: Buffer) => url(Buffer.concat([Buffer.alloc(Math.max(0, curve.size - x.length)), x]))
    return {
      kty: 'EC',
      crv: curve.crv,
      x: coordinate(point.subarray(1, 1 + curve.size)),
      y: coordinate(point.subarray(1 + curve.size)),
      d: coordinate(d),
    }
  }
  throw new KeyFileError(`${path} holds a ${type} key, which this build cannot serve: use ed25519, RSA or ECDSA`)
}

/** Reads SSH's wire types: uint32, and strings prefixed by their length. */
class SshReader {
  private at = 0
  constructor(private readonly buf: Buffer) {}
  uint32(): number {
    if (this.at + 4 > this.buf.length) throw new KeyFileError('truncated SSH message')
    const value = this.buf.readUInt32BE(this.at)
    this.at += 4
    return value
  }
  bytes(): Buffer {
    const length = this.uint32()
    if (this.at + length > this.buf.length) throw new KeyFileError('truncated SSH message')
    const value = this.buf.subarray(this.at, this.at + length)
    this.at += length
    return value
  }
  text(): string {
    return this.bytes().toString('utf8')
  }
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(value)
  return out
}

function sshString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value
  return Buffer.concat([uint32(bytes.length), bytes])
}

/** An unsigned big-endian integer as SSH's mpint: no leading zeros, one added where the top bit is set. */
function mpint(bytes: Buffer): Buffer {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0) start++
  const trimmed = bytes.subarray(start)
  return trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed
}

function frame(message: Buffer): Buffer {
  return Buffer.concat([uint32(message.length), message])
}
