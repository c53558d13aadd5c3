import type { InjectedFile } from './file-mounts.js'

const BLOCK = 512

/**
 * A tar archive (ustar) of `files`, each with its mode, uid and gid: what the engine's archive API
 * extracts into a container (parent directories are made as needed).
 */
export function tarFiles(files: readonly InjectedFile[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = []
  for (const file of files) {
    const body = Buffer.from(file.content, 'utf8')
    parts.push(header(file.path.replace(/^\/+/, ''), body.length, file, mtime), body)
    const padding = (BLOCK - (body.length % BLOCK)) % BLOCK
    if (padding > 0) parts.push(Buffer.alloc(padding))
  }
  parts.push(Buffer.alloc(BLOCK * 2))
  return Buffer.concat(parts)
}

function header(name: string, size: number, file: InjectedFile, mtime: number): Buffer {
  const block = Buffer.alloc(BLOCK)
  const [prefix, base] = splitName(name)
  const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, '0')
  block.write(base, 0, 100, 'utf8')
  block.write(octal(file.mode, 8), 100, 8, 'ascii')
  block.write(octal(file.uid, 8), 108, 8, 'ascii')
  block.write(octal(file.gid, 8), 116, 8, 'ascii')
  block.write(octal(size, 12), 124, 12, 'ascii')
  block.write(octal(mtime, 12), 136, 12, 'ascii')
  block.write('        ', 148, 8, 'ascii')
  block.write('0', 156, 1, 'ascii')
  block.write('ustar\u000000', 257, 8, 'ascii')
  block.write(prefix, 345, 155, 'utf8')
  const checksum = block.reduce((sum, byte) => sum + byte, 0)
  block.write(`${octal(checksum, 7)}\u0000 `, 148, 8, 'ascii')
  return block
}

/** ustar keeps names over 100 bytes as a prefix (a directory part, up to 155) and a name. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name]
  const cut = name.lastIndexOf('/', 155)
  if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
    throw new RangeError(`path too long for a tar archive: ${name}`)
  return [name.slice(0, cut), name.slice(cut + 1)]
}
