import type { BuildEvent } from '../runtime/build-images.js'
import type { ConvergeEvent } from '../runtime/converge-options.js'
import { wantsColour } from './log-prefixer.js'

const ACTION_WORDS: Record<ConvergeEvent['action'], string> = {
  kept: 'Running',
  started: 'Started',
  created: 'Started',
  recreated: 'Recreated',
  removed: 'Removed',
  waiting: 'Waiting',
  healthy: 'Healthy',
  completed: 'Exited',
}

/** Progress as it happens, one line an event, with its duration; green ticks only on a terminal without NO_COLOR. */
export function progressPrinter(say: (line: string) => void, colour = wantsColour(process.stdout, process.env)) {
  const done = (text: string): string => (colour ? `\x1b[32m✔\x1b[0m ${text}` : text)
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`
  return {
    build: (e: BuildEvent): void => {
      if (e.kind === 'building') say(`Image for ${e.service}  Building`)
      else if (e.kind === 'step')
        say(colour ? `\x1b[2m => ${e.service}: ${e.line}\x1b[0m` : ` => ${e.service}: ${e.line}`)
      else say(done(`Image for ${e.service}  Built ${seconds(e.ms)}`))
    },
    converge: (e: ConvergeEvent): void => {
      const text = `Container ${e.container}  ${ACTION_WORDS[e.action]}`
      say(e.action === 'waiting' ? text : done(`${text} ${seconds(e.ms)}`))
    },
  }
}
