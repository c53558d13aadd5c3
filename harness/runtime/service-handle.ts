import type { ContainerInspectInfo } from 'dockerode'
import type { Engine } from './engine.js'
import { followLogLines, logLines } from './container-logs.js'

export interface WaitForLogOptions {
  /** How many matching lines to wait for (1). */
  readonly times?: number
  readonly timeoutMs?: number
}

/** One running container of a service: what a test needs to observe it from outside. */
export class ServiceHandle {
  constructor(
    private readonly engine: Engine,
    readonly service: string,
    readonly number: number,
    readonly id: string,
    readonly name: string,
  ) {}

  inspect(): Promise<ContainerInspectInfo> {
    return this.engine.container.getById(this.id).inspect()
  }

  /** Lines the container has written so far. */
  logs(tail?: number): Promise<string[]> {
    return logLines(this.engine, this.id, tail)
  }

  /** Calls `onLine` for every line from the container's start on, `onEnd` when it stops; returns a function that stops following. */
  follow(onLine: (line: string) => void, onEnd?: () => void): Promise<() => void> {
    return followLogLines(this.engine, this.id, onLine, onEnd)
  }

  /** Resolves with the matching lines once `times` lines match; rejects after `timeoutMs` with the last lines seen. */
  async waitForLog(pattern: RegExp, { times = 1, timeoutMs = 30_000 }: WaitForLogOptions = {}): Promise<string[]> {
    const matches: string[] = []
    const seen: string[] = []
    let stop = (): void => {}
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(this.waitError(`${times} line(s) matching ${pattern}`, timeoutMs, seen, matches.length)), timeoutMs)
        const finish = (): void => {
          clearTimeout(timer)
          resolve(matches)
        }
        followLogLines(this.engine, this.id, (line) => {
          seen.push(line)
          if (seen.length > 20) seen.shift()
          if (pattern.test(line) && matches.push(line) === times) finish()
        }, () => {
          clearTimeout(timer)
          if (matches.length < times) reject(this.waitError(`${times} line(s) matching ${pattern}`, 0, seen, matches.length, 'the container stopped'))
        }).then((s) => (stop = s), reject)
      })
    } finally {
      stop()
    }
  }

  /** Waits for the container to stop and gives its exit code. */
  async waitForExit({ timeoutMs = 30_000 } = {}): Promise<number> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name} was still running after ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      const result = (await Promise.race([this.engine.container.getById(this.id).wait(), timeout])) as { StatusCode: number }
      return result.StatusCode
    } finally {
      clearTimeout(timer)
    }
  }

  private waitError(what: string, timeoutMs: number, seen: readonly string[], found: number, why = `not within ${timeoutMs} ms`): Error {
    return new Error(`${this.name}: waited for ${what}, saw ${found}: ${why}. Last lines:\n  ${seen.join('\n  ')}`)
  }
}
