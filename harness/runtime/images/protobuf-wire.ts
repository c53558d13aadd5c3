/**
 * Pure: the little of protobuf's wire format that BuildKit's messages need here, read and written
 * by hand (no generated code, no .proto files to ship): a message's fields in order, and a varint
 * or length-delimited field.
 */

/** One field of a message: its number, and its value as a varint or as the bytes of a length-delimited field. */
export interface WireField {
  readonly number: number
  readonly varint?: bigint
  readonly bytes?: Uint8Array
}

/** The fields of a message, in order; fixed-width fields are skipped. Throws RangeError on a truncated message. */
export function* wireFields(buf: Uint8Array): Generator<WireField> {
  let at = 0
  const varint = (): bigint => {
    let value = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (at >= buf.length) throw new RangeError('truncated varint')
      const byte = buf[at++]!
      value |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return value
    }
  }
  while (at < buf.length) {
    const key = varint()
    const number = Number(key >> 3n)
    switch (Number(key & 7n)) {
      case 0:
        yield { number, varint: varint() }
        break
      case 1:
        at += 8
        break
      case 2: {
        const length = Number(varint())
        if (at + length > buf.length) throw new RangeError('truncated field')
        yield { number, bytes: buf.subarray(at, at + length) }
        at += length
        break
      }
      case 5:
        at += 4
        break
      default:
        throw new RangeError(`unsupported wire type in field ${number}`)
    }
  }
}

/** A field's bytes as UTF-8 text ('' when absent). */
export function wireText(bytes: Uint8Array | undefined): string {
  return bytes ? Buffer.from(bytes).toString('utf8') : ''
}

function varintBytes(value: number | bigint): number[] {
  const out: number[] = []
  let rest = BigInt(value)
  if (rest < 0n) rest = BigInt.asUintN(64, rest)
  do {
    out.push(Number(rest & 0x7fn) | (rest >= 0x80n ? 0x80 : 0))
    rest >>= 7n
  } while (rest > 0n)
  return out
}

/** A varint field (an integer, 64-bit ones as bigint, or a boolean) numbered `number`. */
export function varintField(number: number, value: number | bigint): Buffer {
  return Buffer.from([...varintBytes(number << 3), ...varintBytes(value)])
}

/** A length-delimited field (bytes, a string or a nested message) numbered `number`. */
export function lengthDelimited(number: number, value: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([...varintBytes((number << 3) | 2), ...varintBytes(value.length)]), value])
}
