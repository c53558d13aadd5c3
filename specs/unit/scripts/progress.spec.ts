import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { $ } from 'zx'
// @ts-expect-error: a plain JavaScript module of the scripts, without type declarations
import { withProgress } from '../../../scripts/provision/progress.mjs'

type Progress = (
  say: (line: string) => void,
  what: string,
  running: unknown,
  options?: { everyMs?: number; detail?: () => string },
) => Promise<{ exitCode: number }>
const progress = withProgress as Progress

describe("provisioning's progress", () => {
  it('says what a step does, then how long it has run and the last line its tool wrote, until it ends', async () => {
    const said: string[] = []
    const result = await progress(
      (line) => said.push(line),
      'making the base image',
      $({ quiet: true, nothrow: true })`sh -c 'echo first step; sleep 0.5; echo second step >&2; sleep 0.5'`,
      { everyMs: 150 },
    )
    expect(result.exitCode).toBe(0)
    expect(said[0]).toBe('making the base image…')
    const beats = said.slice(1)
    expect(beats.length).toBeGreaterThanOrEqual(4)
    // A beat before the tool's first line (a loaded machine starts `sh` late) has no detail yet.
    for (const beat of beats) expect(beat).toMatch(/^making the base image: \d+ s so far( \((first|second) step\))?$/)
    const details = beats.map((beat) => /\((\w+) step\)$/.exec(beat)?.[1]).filter((d) => d !== undefined)
    // The last line written, in the order written: the first step's, then the second's.
    expect(details[0]).toBe('first')
    expect(details.at(-1)).toBe('second')
    expect(details.join(' ')).toMatch(/^(first )+(second ?)+$/)
    const afterEnd = said.length
    await sleep(400)
    expect(said).toHaveLength(afterEnd)
  })

  it('reports what `detail` says when the step writes nothing, and passes a failure on', async () => {
    const said: string[] = []
    let sent = 0
    const failing = (async () => {
      for (; sent < 3; sent++) await sleep(120)
      throw new Error('import refused')
    })()
    await expect(
      progress((line) => said.push(line), 'loading it', failing, { everyMs: 100, detail: () => `${sent} MB sent` }),
    ).rejects.toThrow('import refused')
    expect(said.slice(1).length).toBeGreaterThanOrEqual(2)
    for (const beat of said.slice(1)) expect(beat).toMatch(/^loading it: \d+ s so far \(\d MB sent\)$/)
  })
})
