import type Dockerode from 'dockerode'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { runReference, referenceCompose } from '../../../harness/conformance/reference-compose.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'
import { runningReaper, type RunningReaper } from '../../../harness/runtime/reaper/reaper-hand-over.js'
import { uniqueProjectName } from './test-projects.js'
import { resolve } from 'node:path'

/** Where a reaper listens, its session, and the secret it was started with (read from the engine, as a run that adopts it reads it). */
export type ReaperAddress = RunningReaper

/** The running reaper that process `pid` started. */
export async function reaperOfProcess(pid: number): Promise<ReaperAddress> {
  const reaper = await runningReaper(await connectEngine(), `com.compose-harness.reaper.pid=${pid}`)
  if (!reaper) throw new Error(`no running reaper of process ${pid}`)
  return reaper
}

/** What came of one connection: the reaper's answer, and whether the reaper closed it before `timeoutMs`. */
export interface Conversation {
  readonly answer: string
  readonly closed: boolean
  readonly ms: number
}

/** Connects, writes `data` (in pieces of 64 KiB while the connection takes them), and listens until the reaper closes it or `timeoutMs` passes. */
export function converse(at: ReaperAddress, data: string | Buffer, timeoutMs = 10_000): Promise<Conversation> {
  const started = Date.now()
  return new Promise((done, fail) => {
    let answer = ''
    const socket = connect({ host: at.host, port: at.port })
    const timer = setTimeout(() => finish(false), timeoutMs)
    const finish = (closed: boolean): void => {
      clearTimeout(timer)
      socket.destroy()
      done({ answer, closed, ms: Date.now() - started })
    }
    socket.on('data', (d) => (answer += d.toString('latin1')))
    socket.on('close', () => finish(true))
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // Reset, or refused once the reaper has stopped listening: closed by the reaper all the same.
      ['ECONNRESET', 'EPIPE', 'ECONNREFUSED'].includes(error.code ?? '') ? finish(true) : fail(error),
    )
    socket.on('connect', () => {
      const bytes = Buffer.from(data)
      let offset = 0
      const more = (): void => {
        while (offset < bytes.length && !socket.destroyed) {
          const piece = bytes.subarray(offset, (offset += 65_536))
          if (!socket.write(piece)) return void socket.once('drain', more)
        }
      }
      more()
    })
  })
}

/** `n` random bytes with no newline among them. */
export function noNewline(n: number): Buffer {
  return Buffer.from(randomBytes(n).map((b) => (b === 10 ? 11 : b)))
}

const FOREIGN_FILE = resolve('fixtures/reaper/foreign.yml')

/** Someone else's project, brought up by Compose v2 itself: a container and a named volume holding data. */
export interface ForeignProject extends AsyncDisposable {
  readonly name: string
  /** Its container still running, and its volume still holding what it wrote. */
  intact(): Promise<boolean>
}

export async function startForeignProject(): Promise<ForeignProject> {
  const name = uniqueProjectName('foreign')
  const compose = async (...args: string[]): Promise<string> => {
    const run = await runReference(referenceCompose(), ['-f', FOREIGN_FILE, '-p', name, ...args], {
      timeoutMs: 60_000,
    })
    if (run.code !== 0) throw new Error(`compose ${args.join(' ')} failed (${run.code}): ${run.stderr}`)
    return run.stdout
  }
  await compose('up', '-d', '--wait')
  return {
    name,
    intact: async () => {
      const read = await compose('exec', '-T', 'db', 'cat', '/data/file').catch(() => '')
      return read.trim() === 'precious'
    },
    [Symbol.asyncDispose]: async () => void (await compose('down', '-v', '-t', '0')),
  }
}

/** The threads of the reaper's process (one for each connection it holds, and its own), read in its container. */
export async function reaperThreads(at: ReaperAddress, docker?: Dockerode): Promise<number> {
  const engine = docker ?? (await connectEngine()).container.dockerode
  const exec = await engine.getContainer(at.id).exec({
    Cmd: ['sh', '-c', 'grep -l python3 /proc/[0-9]*/comm | sed "s/comm$/status/" | xargs grep "^Threads:"'],
    AttachStdout: true,
    AttachStderr: true,
  })
  const stream = await exec.start({})
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  await new Promise((done) => stream.on('end', done))
  const threads = /Threads:\s+(\d+)/.exec(Buffer.concat(chunks).toString('latin1'))
  if (!threads) throw new Error(`no python3 process in the reaper: ${Buffer.concat(chunks).toString('latin1')}`)
  return Number(threads[1])
}
