import { describe, expect, it } from 'vitest'
import { splitCommandLine, UsageError } from '../../../harness/cli/args.js'
import { logPrefixer } from '../../../harness/cli/log-prefixer.js'

describe('splitCommandLine', () => {
  it('takes repeated -f, -p and --project-directory before the command', () => {
    expect(
      splitCommandLine(['-f', 'a.yml', '--file=b.yml', '-p', 'demo', '--project-directory', 'dir', 'up', '-d']),
    ).toEqual({
      globals: { files: ['a.yml', 'b.yml'], envFiles: [], profiles: [], projectName: 'demo', projectDirectory: 'dir' },
      command: 'up',
      rest: ['-d'],
    })
  })

  it('refuses an unknown global flag and a flag without its value', () => {
    expect(() => splitCommandLine(['--nope', 'up'])).toThrow(new UsageError('unknown flag --nope'))
    expect(() => splitCommandLine(['-f'])).toThrow(new UsageError('-f needs a value'))
  })
})

describe('logPrefixer', () => {
  it('pads every container name to the longest, as Compose does', () => {
    const prefix = logPrefixer(['echo-server-1', 'client-1'], false)
    expect(prefix('client-1', 'Received: Hello, world')).toBe('client-1       | Received: Hello, world')
    expect(prefix('echo-server-1', 'x')).toBe('echo-server-1  | x')
  })

  it("colours each container's prefix differently when asked", () => {
    const prefix = logPrefixer(['a-1', 'b-1'], true)
    expect(prefix('a-1', 'x')).toBe('\x1b[36ma-1  | \x1b[0mx')
    expect(prefix('b-1', 'x')).toBe('\x1b[33mb-1  | \x1b[0mx')
  })
})
