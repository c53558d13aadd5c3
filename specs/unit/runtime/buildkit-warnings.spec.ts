import { describe, expect, it } from 'vitest'
import { decodeStatus } from '../../../harness/runtime/images/buildkit-status.js'
import { lengthDelimited, varintField } from '../../../harness/runtime/images/protobuf-wire.js'

const text = (s: string) => Buffer.from(s)
const b64 = (s: string) => Buffer.from(s, 'base64')
const message = (...fields: Buffer[]) => Buffer.concat(fields)
const entry = (key: string, value: Buffer) => message(lengthDelimited(1, text(key)), value)

const VERTEX = 'sha256:d1a81c568be849abc0721838e0ba30026a94fc944b68bfbc881dbf0f7a7bebff'
const OTHER = 'sha256:18f605efa2db652c5cf6243986d5c6b604532f5f96c8e0087f0a727d2c003fb3'
const SHORT = "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)"
const DEF = ['WgAaBQoDZm9v', 'CkkKR3NoYTI1Ng==']
const DATA = 'RlJPTSBkZWJpYW46Ym9va3dvcm0gYXMgYmFzZQo='

/** A lint warning as Docker 28.5's BuildKit sends it (the FromAsCasing check), its metadata's entries out of order. */
function warning(): Buffer {
  const position = lengthDelimited(1, varintField(1, 1))
  const range = message(position, lengthDelimited(2, varintField(1, 1)))
  const caps = (...names: string[]) => names.map((n) => lengthDelimited(5, entry(n, varintField(2, 1))))
  const metadata = [
    lengthDelimited(
      2,
      entry(
        VERTEX,
        lengthDelimited(
          2,
          message(
            lengthDelimited(2, entry('llb.customname', lengthDelimited(2, text('[internal] load build definition')))),
            ...caps('source.local', 'source.local.sessionid'),
          ),
        ),
      ),
    ),
    lengthDelimited(2, entry(OTHER, lengthDelimited(2, message(...caps('platform', 'constraints'))))),
  ]
  const source = lengthDelimited(3, lengthDelimited(1, entry(VERTEX, lengthDelimited(2, Buffer.alloc(0)))))
  const definition = message(...DEF.map((d) => lengthDelimited(1, b64(d))), ...metadata, source)
  const info = message(
    lengthDelimited(1, text('Dockerfile')),
    lengthDelimited(2, b64(DATA)),
    lengthDelimited(3, definition),
    lengthDelimited(4, text('Dockerfile')),
  )
  return message(
    lengthDelimited(1, text(VERTEX)),
    varintField(2, 1),
    lengthDelimited(3, text(SHORT)),
    lengthDelimited(4, text("The 'as' keyword should match the case of the 'from' keyword")),
    lengthDelimited(5, text('https://docs.docker.com/go/dockerfile/rule/from-as-casing/')),
    lengthDelimited(6, info),
    lengthDelimited(7, range),
  )
}

describe("BuildKit's warnings (a Dockerfile's lint checks)", () => {
  it('are read from a status message: the step, the line shown', () => {
    const status = decodeStatus(lengthDelimited(4, warning()))
    expect(status.warnings?.map(({ vertex, short }) => ({ vertex, short }))).toEqual([{ vertex: VERTEX, short: SHORT }])
    expect(decodeStatus(lengthDelimited(3, Buffer.alloc(0))).warnings).toBeUndefined()
  })

  it('are written as Go writes buildx’s VertexWarning: fields in order, empty ones left out, bytes in base64, map keys sorted', () => {
    const [read] = decodeStatus(lengthDelimited(4, warning())).warnings ?? []
    expect(JSON.stringify(read?.json)).toBe(
      `{"vertex":"${VERTEX}","level":1,"short":"${text(SHORT).toString('base64')}",` +
        `"detail":["${text("The 'as' keyword should match the case of the 'from' keyword").toString('base64')}"],` +
        `"url":"https://docs.docker.com/go/dockerfile/rule/from-as-casing/",` +
        `"sourceInfo":{"filename":"Dockerfile","data":"${DATA}","definition":{"def":["${DEF[0]}","${DEF[1]}"],` +
        `"metadata":{"${OTHER}":{"caps":{"constraints":true,"platform":true}},` +
        `"${VERTEX}":{"description":{"llb.customname":"[internal] load build definition"},"caps":{"source.local":true,"source.local.sessionid":true}}},` +
        `"Source":{"locations":{"${VERTEX}":{}}}},"language":"Dockerfile"},` +
        `"range":[{"start":{"line":1},"end":{"line":1}}]}`,
    )
  })

  it('keep a map’s false values and leave out zero scalars, as Go does', () => {
    const op = message(lengthDelimited(5, entry('off', varintField(2, 0))), varintField(1, 0))
    const definition = lengthDelimited(2, entry(VERTEX, lengthDelimited(2, op)))
    const info = lengthDelimited(6, lengthDelimited(3, definition))
    const [read] =
      decodeStatus(lengthDelimited(4, message(lengthDelimited(1, text(VERTEX)), varintField(2, 0), info))).warnings ??
      []
    expect(read?.json).toEqual({
      vertex: VERTEX,
      sourceInfo: { definition: { metadata: { [VERTEX]: { caps: { off: false } } } } },
    })
  })
})
