import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'

/** `rm`'s options. */
export const RM_OPTIONS = {
  force: { type: 'boolean', short: 'f' },
  stop: { type: 'boolean', short: 's' },
  volumes: { type: 'boolean', short: 'v' },
} as const satisfies OptionTable

/**
 * `rm [-f] [-s] [-v] [SERVICE…]`: removes the project's stopped containers, as Compose v2 does.
 * It names them first and, without -f, asks on its input; no answer (an empty or closed input)
 * removes nothing. `-s` stops the containers first; their anonymous volumes always go (-v).
 */
export const rm: Command = async (compose, args, { warn }) => {
  const { values, positionals } = parseOptions('rm', args, RM_OPTIONS)
  if (values.stop) await compose.stop({ services: positionals })
  // ps(SERVICE…) refuses a name that is not one of the project's services, as every command does.
  const stopped = (await compose.ps(positionals)).filter((c) => !c.running).map((c) => c.name)
  if (stopped.length === 0) {
    warn('No stopped containers')
    return 0
  }
  warn(`Going to remove ${stopped.join(', ')}`)
  if (!values.force && !(await confirmed('Are you sure? [yN] '))) return 0
  for (const name of await compose.rm(positionals)) warn(`Container ${name}  Removed`)
  return 0
}

/** One line of this process's input, asked with `question` on a terminal: yes when it starts with y. */
function confirmed(question: string): Promise<boolean> {
  if (process.stdin.isTTY) process.stderr.write(question)
  return new Promise((resolve) => {
    let answer = ''
    const done = (): void => {
      process.stdin.off('data', onData).off('end', done).pause()
      resolve(/^y/i.test(answer.trim()))
    }
    const onData = (chunk: Buffer): void => {
      answer += chunk.toString()
      if (answer.includes('\n')) done()
    }
    process.stdin.on('data', onData).once('end', done)
  })
}
