import { createHash } from 'node:crypto'
import { unlink } from 'node:fs/promises'
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Engine } from '../engine/engine.js'
import { ProjectBusyError } from '../engine/runtime-errors.js'

/** How long a run waits for another run of the same project before it gives up (COMPOSE_HARNESS_LOCK_TIMEOUT, in seconds). */
const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000

/** Who holds a project's lock, as the holder tells a run that waits for it. */
export interface LockHolder {
  readonly pid: number
  readonly action: string
}

export interface LockOptions {
  /** What this run is about to do (`up`, `down`…), told to the runs that wait for it. */
  readonly action: string
  /** Told once, when another run holds the lock and this one starts waiting. */
  readonly onWait?: (holder: LockHolder) => void
  readonly timeoutMs?: number
}

/**
 * Runs `work` while no other run of the harness on this machine changes the same project on the
 * same engine: two `up`s of one project started together would otherwise both create its network
 * (the engine allows two networks of one name) and fight over container names. The lock is a
 * listening socket: on Linux an abstract one, which the kernel frees when its process dies (even
 * by SIGKILL), so a crashed run never leaves a stale lock. A run that finds the lock taken waits
 * for it (bounded), then goes on against what the first run left.
 */
export async function withProjectLock<T>(
  engine: Engine,
  project: string,
  options: LockOptions,
  work: () => Promise<T>,
): Promise<T> {
  const lock = await acquire(lockAddress(engine, project), project, options)
  try {
    return await work()
  } finally {
    lock.release()
  }
}

/** The lock's address: one per engine endpoint and project name. */
function lockAddress(engine: Engine, project: string): string {
  const modem = engine.container.dockerode.modem as { socketPath?: unknown; host?: unknown; port?: unknown }
  const endpoint =
    typeof modem.socketPath === 'string' ? modem.socketPath : `${String(modem.host)}:${String(modem.port)}`
  const key = createHash('sha256').update(`${endpoint}\0${project}`).digest('hex').slice(0, 32)
  if (process.platform === 'linux') return `\0compose-harness/lock/${key}`
  if (process.platform === 'win32') return `\\\\?\\pipe\\compose-harness-lock-${key}`
  return join(tmpdir(), `compose-harness-lock-${key}.sock`)
}

interface HeldLock {
  release(): void
}

async function acquire(
  address: string,
  project: string,
  { action, onWait, timeoutMs = lockTimeoutMs() }: LockOptions,
): Promise<HeldLock> {
  const deadline = Date.now() + timeoutMs
  let holder: LockHolder | undefined
  for (;;) {
    const held = await listen(address, { pid: process.pid, action })
    if (held) return held
    const outcome = await waitForRelease(address, deadline - Date.now(), (found) => {
      if (!holder) onWait?.(found)
      holder = found
    })
    if (outcome === 'timeout') throw new ProjectBusyError(project, timeoutMs, holder)
    // Only a path socket can outlive its process; an abstract socket or a pipe never does.
    if (outcome === 'stale') await unlink(address).catch(() => {})
  }
}

function lockTimeoutMs(): number {
  const seconds = Number(process.env.COMPOSE_HARNESS_LOCK_TIMEOUT)
  return process.env.COMPOSE_HARNESS_LOCK_TIMEOUT && Number.isFinite(seconds) && seconds >= 0
    ? seconds * 1000
    : DEFAULT_LOCK_TIMEOUT_MS
}

/** Holds the lock when the address is free: a run that connects is told who holds it, and sees its connection close on release. */
function listen(address: string, holder: LockHolder): Promise<HeldLock | undefined> {
  return new Promise((resolve, reject) => {
    const waiting = new Set<Socket>()
    const server: Server = createServer((socket) => {
      waiting.add(socket)
      socket.unref()
      socket.on('error', () => {})
      socket.on('close', () => waiting.delete(socket))
      socket.write(`${JSON.stringify(holder)}\n`)
    })
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(undefined) : reject(error),
    )
    server.listen(address, () => {
      // The lock must not keep the process alive by itself; the work it guards does.
      server.unref()
      resolve({
        release() {
          server.close()
          for (const socket of waiting) socket.destroy()
        },
      })
    })
  })
}

/**
 * Connects to the holder, hears who it is, and waits until its connection closes: the lock was
 * released, or its process died. `stale`: a path socket that nobody listens on any more.
 */
function waitForRelease(
  address: string,
  remainingMs: number,
  onHolder: (holder: LockHolder) => void,
): Promise<'released' | 'stale' | 'timeout'> {
  if (remainingMs <= 0) return Promise.resolve('timeout')
  return new Promise((resolve) => {
    let text = ''
    const socket = createConnection(address)
    const settle = (outcome: 'released' | 'stale' | 'timeout'): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => settle('timeout'), remainingMs)
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      text += chunk
      const line = text.split('\n', 1)[0]
      if (line !== undefined && text.includes('\n')) onHolder(parseHolder(line))
    })
    socket.on('close', () => settle('released'))
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(
        error.code === 'ECONNREFUSED' && !address.startsWith('\0') && process.platform !== 'win32'
          ? 'stale'
          : 'released',
      ),
    )
  })
}

function parseHolder(line: string): LockHolder {
  try {
    const { pid, action } = JSON.parse(line) as Partial<LockHolder>
    return { pid: Number(pid), action: String(action) }
  } catch {
    return { pid: 0, action: 'unknown' }
  }
}
