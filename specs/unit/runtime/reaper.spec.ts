import type { ContainerInfo } from 'dockerode'
import { describe, expect, it } from 'vitest'
import { reaperFilter, staleReapers } from '../../../harness/runtime/reaper/reaper.js'

const NOW = 1_000_000

function reaper(Id: string, State: string, ageS: number): ContainerInfo {
  return { Id, State, Created: NOW - ageS } as ContainerInfo
}

describe('the reaper, decided without an engine', () => {
  it('names exactly the project and the session in a filter, the project encoded', () => {
    expect(reaperFilter('web app', '0123456789abcdef')).toBe(
      'label=com.docker.compose.project=web%20app&label=com.compose-harness.session=0123456789abcdef',
    )
  })

  it('takes as stale only reapers created and never started, or exited, for more than 30 s', () => {
    const found = [
      reaper('created-old', 'created', 31),
      reaper('created-new', 'created', 29),
      reaper('exited-old', 'exited', 3600),
      reaper('running-old', 'running', 3600),
      reaper('restarting-old', 'restarting', 3600),
    ]
    expect(staleReapers(found, NOW)).toEqual(['created-old', 'exited-old'])
  })
})
