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

  it("substitutes what the lookup knows before the file's own values, as compose-go does", () => {
    // compose-go's TestSubstitutionsWithEnvFilePrecedence: the environment has OPTION_A=5.
    const text = 'OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\n'
    expect(parseDotenv(text, (n) => (n === 'OPTION_A' ? '5' : undefined))).toEqual({
      OPTION_A: '1',
      OPTION_B: '5',
      OPTION_C: '5',
    })
  })

  it('reads a quoted value across lines, its quote escaped, and the escapes of double quotes, as compose-go does', () => {
    const text = [
      'MULTI="first',
      'second" # a comment after the quote',
      "SINGLE='it\\'s \\n kept'",
      'ESCAPES="a\\tb \\$HOME \\"q\\" \\0101"',
      'HASH=a#b',
      'FROM_SHELL',
      'NOT_SET',
      'YAML: colon',
    ].join('\n')
    expect(parseDotenv(text, (n) => (n === 'FROM_SHELL' ? 'shell' : undefined))).toEqual({
      MULTI: 'first\nsecond',
      SINGLE: "it's \\n kept",
      ESCAPES: 'a\tb $HOME "q" A',
      HASH: 'a#b',
      FROM_SHELL: 'shell',
      YAML: 'colon',
    })
  })

  it('reports every malformed line with its number', () => {
    expect(() => parseDotenv('OK=1\nbad line\nQ="open\n')).toThrow(
      new DotenvError([
        { line: 2, detail: 'a key cannot contain a space: "bad line"' },
        { line: 3, detail: 'the " quote is not closed' },
      ]),
    )
  })
})
