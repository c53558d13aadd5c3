import { describe, expect, it } from 'vitest'
import { InterpolationFailure, substitute } from '../../../harness/model/interpolate/interpolation-syntax.js'
import { loadInline, problemsOf } from '../support/load-inline.js'

const env: Record<string, string> = { SET: 'value', EMPTY: '', PORT: '8080' }
const sub = (text: string) => {
  const unset: string[] = []
  return {
    out: substitute(
      text,
      (n) => env[n],
      (n) => unset.push(n),
    ),
    unset,
  }
}

describe('variable substitution', () => {
  it.each([
    ['$SET', 'value'],
    ['${SET}', 'value'],
    ['a-${SET}-b', 'a-value-b'],
    ['${SET:-d}|${EMPTY:-d}|${UNSET:-d}', 'value|d|d'],
    ['${SET-d}|${EMPTY-d}|${UNSET-d}', 'value||d'],
    ['${SET:+alt}|${EMPTY:+alt}|${UNSET:+alt}', 'alt||'],
    ['${SET+alt}|${EMPTY+alt}|${UNSET+alt}', 'alt|alt|'],
    ['${UNSET:-${PORT}}', '8080'],
    ['${UNSET:-$SET-x}', 'value-x'],
    ['${UNSET:-${ALSO:-deep}}', 'deep'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['${SET:?must be set}', 'value'],
    ['no variables: a}b', 'no variables: a}b'],
  ])('%s → %s', (text, expected) => {
    expect(sub(text).out).toBe(expected)
  })

  it('makes an unset variable without a default empty, naming it once, and never warns for an unused default', () => {
    expect(sub('$UNSET-${UNSET}')).toEqual({ out: '-', unset: ['UNSET', 'UNSET'] })
    expect(sub('${SET:-$NOPE}')).toEqual({ out: 'value', unset: [] })
  })

  it.each([
    ['${UNSET:?needs a value}', 'required variable UNSET is missing a value: needs a value'],
    ['${EMPTY:?}', 'required variable EMPTY is missing a value'],
    ['${UNSET?}', 'required variable UNSET is missing a value'],
    ['${', 'invalid interpolation format in "${": a "${" must start with a variable name'],
    ['${SET', 'invalid interpolation format in "${SET": unexpected "end of text" after ${SET'],
    ['${SET:-open', 'invalid interpolation format in "${SET:-open": a "${" is not closed by "}"'],
    ['${1X}', 'invalid interpolation format in "${1X}": a "${" must start with a variable name'],
    ['${SET:x}', 'invalid interpolation format in "${SET:x}": unexpected ":" after ${SET'],
  ])('%s fails: %s', (text, message) => {
    expect(() => sub(text)).toThrow(new InterpolationFailure({ kind: 'syntax', detail: message }).message)
  })

  it.each([
    ['cost: $5', 'cost: $5'],
    ['end$', 'end$'],
    ['a $ b', 'a $ b'],
    ['$-', '$-'],
    ['x}y', 'x}y'],
  ])('keeps a $ that starts no variable, as Compose v2 does: %s', (text, out) => {
    expect(sub(text)).toEqual({ out, unset: [] })
  })
})

describe('interpolating compose files', () => {
  it('substitutes values, never keys, before the files are merged', () => {
    const { project } = loadInline(
      'services:\n  web:\n    image: "app:${TAG:-latest}"\n    environment:\n      $KEY: $VALUE\n',
      { env: { VALUE: 'v' } },
    )
    expect(project.services.web!.image).toBe('app:latest')
    expect(project.services.web!.environment).toEqual({ $KEY: 'v' })
  })

  it('warns about each unset variable with the file and line where it is first used', () => {
    const { project } = loadInline('services:\n  web:\n    image: "app:${TAG}"\n    command: echo $TAG $OTHER\n')
    expect(project.warnings).toEqual([
      'compose.yml:3: the "TAG" variable is not set. Defaulting to a blank string.',
      'compose.yml:4: the "OTHER" variable is not set. Defaulting to a blank string.',
    ])
  })

  it('reports every missing required variable with its file, line and key', () => {
    expect(
      problemsOf('services:\n  web:\n    image: ${IMAGE:?set IMAGE to the image to test}\n    user: ${USER_ID?}\n'),
    ).toEqual([
      'compose.yml:3:5 services.web.image: required variable IMAGE is missing a value: set IMAGE to the image to test',
      'compose.yml:4:5 services.web.user: required variable USER_ID is missing a value',
    ])
  })

  it('interpolates each file with the same variables, an override included', () => {
    const { project } = loadInline('services:\n  web:\n    image: a\n', {
      env: { T: 'b' },
      overrides: ['services:\n  web:\n    image: ${T}\n'],
    })
    expect(project.services.web!.image).toBe('b')
  })
})
