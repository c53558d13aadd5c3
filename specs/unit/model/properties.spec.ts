import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { ComposeError } from '../../../harness/model/document/compose-error.js'
import { InterpolationFailure, substitute } from '../../../harness/model/interpolate/interpolation-syntax.js'
import { loadCompose } from '../../../harness/model/pipeline/load.js'
import { toComposeDocument } from '../../../harness/model/pipeline/to-compose.js'

const RUNS = { numRuns: 400, seed: 20261126 }
/** Strings rich in the characters the syntaxes care about. */
const syntaxy = fc.string({
  unit: fc.constantFrom('$', '{', '}', ':', '-', '+', '?', 'A', 'B', '_', '1', ' ', '"', "'", '/', '.', '=', 'x'),
  maxLength: 24,
})
const lookup = (name: string) => ({ A: 'a', B: '' })[name]

/** Runs `load`, letting only a ComposeError through. */
function onlyComposeErrors(load: () => unknown): void {
  try {
    load()
  } catch (error) {
    if (!(error instanceof ComposeError)) throw error
  }
}

describe('properties', () => {
  it('substitution either gives a string or fails with an InterpolationFailure', () => {
    fc.assert(
      fc.property(syntaxy, (text) => {
        try {
          expect(typeof substitute(text, lookup, () => {})).toBe('string')
        } catch (error) {
          expect(error).toBeInstanceOf(InterpolationFailure)
        }
      }),
      RUNS,
    )
  })

  it('text without a $ is left exactly as it is', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('$')),
        (text) => substitute(text, lookup, () => {}) === text,
      ),
      RUNS,
    )
  })

  it('any YAML value under any service key loads or fails with a ComposeError, nothing else', () => {
    const keys = fc.constantFrom(
      'image',
      'build',
      'ports',
      'expose',
      'environment',
      'labels',
      'depends_on',
      'links',
      'networks',
      'volumes',
      'healthcheck',
      'command',
      'entrypoint',
      'restart',
      'deploy',
      'scale',
      'profiles',
      'env_file',
      'extra_hosts',
      'tmpfs',
      'stop_grace_period',
      'container_name',
    )
    const values = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        syntaxy,
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(syntaxy, keys), tie('value'), { maxKeys: 3 }),
      ),
    })).value
    fc.assert(
      fc.property(fc.dictionary(keys, values, { maxKeys: 4 }), (service) => {
        const text = stringify({ services: { web: { image: 'w', ...service }, db: { image: 'd' } } })
        onlyComposeErrors(() =>
          loadCompose([{ file: 'c.yml', text }], { projectDirectory: '/p', lookup, readText: () => undefined }),
        )
      }),
      RUNS,
    )
  })

  it('a valid short port loads to the same model through its config output', () => {
    const port = fc.integer({ min: 1, max: 65535 })
    const spec = fc
      .tuple(
        fc.option(fc.constantFrom('127.0.0.1', '[::1]')),
        fc.option(port),
        port,
        fc.constantFrom('', '/udp', '/tcp'),
      )
      .map(
        ([ip, host, target, proto]) =>
          `${host !== null ? `${ip !== null ? `${ip}:` : ''}${host}:` : ''}${target}${proto}`,
      )
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 4 }), (ports) => {
        const options = { projectDirectory: '/p', lookup }
        const first = loadCompose(
          [{ file: 'c.yml', text: stringify({ services: { web: { image: 'w', ports } } }) }],
          options,
        ).project
        const again = loadCompose([{ file: 'config.yml', text: stringify(toComposeDocument(first)) }], options).project
        expect(again.services.web!.ports).toEqual(first.services.web!.ports)
      }),
      RUNS,
    )
  })
})
