import { describe, expect, it } from 'vitest'
import { shellWords } from '../../../harness/model/document/shell-words.js'

describe('shellWords', () => {
  it.each([
    ['echo hello  world', ['echo', 'hello', 'world']],
    [`sh -c 'echo "$HOME"'`, ['sh', '-c', 'echo "$HOME"']],
    ['printf "a \\"b\\" \\$c"', ['printf', 'a "b" $c']],
    ['a\\ b c', ['a b', 'c']],
    ["''", ['']],
    ['', []],
  ])('splits %j like a shell, without expanding anything', (text, words) => {
    expect(shellWords(text)).toEqual(words)
  })

  it('gives nothing for an unterminated quote', () => {
    expect(shellWords('echo "open')).toBeUndefined()
    expect(shellWords("echo 'open")).toBeUndefined()
  })
})
