import { type OptionTable, parseOptions } from '../options.js'
import type { Command } from './command.js'
import { showingProgress } from '../progress.js'

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
export const rm: Command = async (compose, args, io) => {
  const { warn } = io
  const { values, positionals } = parseOptions('rm', args, RM_OPTIONS)
  if (values.stop) await showingProgress(io, (onProgress) => compose.stop({ services: positionals, onProgress }))
  // ps(SERVICE…) refuses a name that is not one of the project's services, as every command does.
  // Newest first, as the engine lists them and Compose v2 names them (the engine's order within a second).
  const stopped = (await compose.stopped(positionals)).sort((a, b) => b.created - a.created).map((c) => c.name)
  if (stopped.length === 0) {
    warn('No stopped containers')
    return 0
  }
  // On standard output, as Compose v2 writes it: a line with -f, else the question, answered on the input.
  const message = `Going to remove ${stopped.join(', ')}`
  if (values.force) io.say(message)
  else {
    process.stdout.write(process.stdin.isTTY ? `${message} [y/N] ` : message)
    if (!(await confirmed())) return 0
  }
  await showingProgress(io, (onProgress) => compose.rm(positionals, { onProgress }))
  return 0
}

/** One line of this process's input: yes when it starts with y. */
function confirmed(): Promise<boolean> {
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
