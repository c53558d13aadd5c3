import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Readable } from 'node:stream'

const PEAK_MEMORY = fileURLToPath(new URL('./peak-memory.mjs', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/compose-harness.js', import.meta.url))

export interface CliOptions {
  /** Merged over the spec's own environment; NO_COLOR is always set. */
  readonly env?: NodeJS.ProcessEnv
  /** Written to the CLI's stdin, which is then closed (stdin is empty otherwise). */
  readonly input?: string
  /** Kills the CLI (SIGKILL) after this long: a hung command fails its spec instead of the whole run. */
  readonly timeoutMs?: number
  /** The CLI's working directory (the spec's own by default). */
  readonly cwd?: string
}

export interface CliRun {
  /** The exit code; 128 + the signal's number when a signal ended it. */
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** The CLI process's peak resident memory, in MiB. */
  readonly peakMiB: number
}

/** `compose-harness ARGS` run as a user runs it (bin/compose-harness.js), to its end; never throws on a non-zero exit. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const cli = startCli(args, options)
  const code = await cli.exited
  return { code, stdout: cli.stdout, stderr: cli.stderr, peakMiB: await cli.peakMiB }
}

/** `runCli`, blocking: for specs whose steps read more plainly one after the other. */
export function runCliSync(
  args: readonly string[],
  { env = {}, input, timeoutMs = 120_000, cwd }: CliOptions = {},
): CliRun & { readonly pid: number } {
  const run = spawnSync(process.execPath, nodeArgs(args), {
    env: cliEnv(env),
    cwd,
    input: input ?? '',
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  })
  return {
    code: exitCode(run.status, run.signal),
    stdout: run.stdout,
    stderr: run.stderr,
    peakMiB: peakMiB((run.output[3] as string | null) ?? ''),
    pid: run.pid ?? 0,
  }
}

/** `compose-harness ARGS` started in the background: its output as it comes, and its end. */
export function startCli(
  args: readonly string[],
  { env = {}, input, timeoutMs = 120_000, cwd }: CliOptions = {},
): RunningCli {
  const child = spawn(process.execPath, nodeArgs(args), {
    env: cliEnv(env),
    ...(cwd !== undefined && { cwd }),
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', 'pipe'],
  })
  if (input !== undefined) child.stdin!.end(input)
  return new RunningCli(child, timeoutMs)
}

/** Node's arguments for the CLI, with the preload that reports its peak memory on fd 3. */
function nodeArgs(args: readonly string[]): string[] {
  return ['--import', PEAK_MEMORY, BIN, ...args]
}

/** The spec's environment, with `env` over it and colour off. */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, ...env, NO_COLOR: '1' }
}

/** The exit code, or 128 + the signal's number when a signal ended the process. */
function exitCode(status: number | null, signal: NodeJS.Signals | null): number {
  return status ?? 128 + (signal ? constants.signals[signal] : 0)
}

/** What the preload wrote (KiB), in MiB; NaN when it wrote nothing (the process crashed). */
function peakMiB(report: string): number {
  return report === '' ? Number.NaN : Number(report) / 1024
}

export class RunningCli {
  stdout = ''
  stderr = ''
  /** Resolves with the exit code (128 + signal number for a signal). */
  readonly exited: Promise<number>
  /** Resolves with the peak resident memory in MiB once the CLI has exited (NaN when it could not say: it crashed). */
  readonly peakMiB: Promise<number>
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly child: ChildProcess,
    timeoutMs: number,
  ) {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    for (const [stream, key] of [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const) {
      stream!.setEncoding('utf8')
      stream!.on('data', (chunk: string) => {
        this[key] += chunk
        for (const listener of this.listeners) listener()
      })
    }
    const report = child.stdio[3] as Readable
    let peak = ''
    report.setEncoding('utf8').on('data', (chunk: string) => (peak += chunk))
    const closed = new Promise<void>((resolve) => report.on('close', resolve))
    this.exited = new Promise((resolve) =>
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve(exitCode(code, signal))
      }),
    )
    this.peakMiB = closed.then(() => peakMiB(peak))
  }

  /** stdout and stderr, as the user sees them interleaved (each stream in order). */
  get output(): string {
    return this.stdout + this.stderr
  }

  /**
   * Resolves with stdout once `pattern` matches stdout or stderr (where progress goes); rejects with
   * the output so far after `timeoutMs` or at exit.
   */
  waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        clearTimeout(timer)
        this.listeners.delete(check)
        if (error) reject(error)
        else resolve(this.stdout)
      }
      const check = (): void => {
        if (pattern.test(this.stdout) || pattern.test(this.stderr)) done()
      }
      const timer = setTimeout(
        () => done(new Error(`no ${pattern} in the CLI's output after ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      )
      this.listeners.add(check)
      void this.exited.then(() => {
        if (this.listeners.has(check)) {
          check()
          if (this.listeners.has(check))
            done(new Error(`the CLI exited without ${pattern} in its output:\n${this.output}`))
        }
      })
      check()
    })
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal)
  }
}

/** A command's output as read, without the terminal's escape sequences (colours, cursor moves). */
// eslint-disable-next-line no-control-regex
export const plain = (text: string): string => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
