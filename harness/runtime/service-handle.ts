import type { ContainerInspectInfo } from 'dockerode'
import type { Engine } from './engine.js'
import { followLogLines, logLines } from './container-logs.js'
import { waitForLogLines } from './readiness.js'

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

  /** Runs a command in the container (no shell unless you ask for one) and gives its exit code and output. */
  async exec(command: readonly string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    const { exitCode, stdout, stderr } = await this.engine.container.exec(this.engine.container.getById(this.id), [...command])
    return { exitCode, stdout, stderr }
  }

  /** Lines the container has written so far. */
  logs(tail?: number): Promise<string[]> {
    return logLines(this.engine, this.id, tail)
  }

  /** Calls `onLine` for every line from the container's start on, `onEnd` when it stops; returns a function that stops following. */
  follow(onLine: (line: string) => void, onEnd?: () => void): Promise<() => void> {
    return followLogLines(this.engine, this.id, onLine, onEnd)
  }

  /**
   * Resolves with the matching lines, counted from the container's start and across its restarts,
   * once `times` lines match; rejects when it stops for good first, or after `timeoutMs`, with the last lines seen.
   */
  waitForLog(pattern: RegExp, { times = 1, timeoutMs = 30_000 }: WaitForLogOptions = {}): Promise<string[]> {
    return waitForLogLines(this.engine, this.id, this.name, pattern, times, timeoutMs)
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
}
