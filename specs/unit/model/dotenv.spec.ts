import { describe, expect, it } from 'vitest'
import { DotenvError, parseDotenv } from '../../../harness/model/interpolate/dotenv.js'

describe('parseDotenv', () => {
  it('reads KEY=value lines, comments, export, quotes and substitutions', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = padded ',
      'INLINE=kept # dropped',
      "SINGLE='no $PLAIN expansion'",
      'DOUBLE="line\\nbreak ${PLAIN}"',
      'REF=${PLAIN}-${FROM_SHELL}',
      'EMPTY=',
    ].join('\n')
    expect(parseDotenv(text, (n) => (n === 'FROM_SHELL' ? 'shell' : undefined))).toEqual({
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'padded',
      INLINE: 'kept',
      SINGLE: 'no $PLAIN expansion',
      DOUBLE: 'line\nbreak value',
      REF: 'value-shell',
      EMPTY: '',
    })
  })

  it('reports every malformed line with its number', () => {
    expect(() => parseDotenv('OK=1\nbad line\nQ="open\n')).toThrow(
      new DotenvError([
        { line: 2, detail: 'expected KEY=value, got "bad line"' },
        { line: 3, detail: 'the " quote is not closed' },
      ]),
    )
  })
})
