import { PassThrough } from 'node:stream'
import type { Engine } from '../engine/engine.js'

/** How `exec` runs its command, as `docker compose exec` flags say. */
export interface ExecOptions {
  /** Variables over the container's own environment. */
  readonly env?: Readonly<Record<string, string>>
  readonly user?: string
  readonly workingDir?: string
  readonly privileged?: boolean
  /** Given to the command as its standard input; it sees end-of-file when this stream ends. */
  readonly stdin?: NodeJS.ReadableStream
  /** Start the command and return at once, without its output (`-d`); resolves with 0. */
  readonly detach?: boolean
}

/** Runs a command in a container, streaming its output as it comes; resolves with its exit code. */
export async function execStreaming(
  engine: Engine,
  id: string,
  command: readonly string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  { env, user, workingDir, privileged, stdin, detach = false }: ExecOptions = {},
): Promise<number> {
  const exec = await engine.container.getById(id).exec({
    Cmd: [...command],
    AttachStdout: !detach,
    AttachStderr: !detach,
    AttachStdin: !detach && stdin !== undefined,
    ...(env && { Env: Object.entries(env).map(([k, v]) => `${k}=${v}`) }),
    ...(user !== undefined && { User: user }),
    ...(workingDir !== undefined && { WorkingDir: workingDir }),
    ...(privileged && { Privileged: true }),
  })
  if (detach) {
    // The engine answers once the command has started; its (empty) answer must still be read to its end.
    const answer = (await exec.start({ Detach: true })) as NodeJS.ReadableStream
    await new Promise<void>((resolve, reject) =>
      answer.on('end', resolve).on('close', resolve).on('error', reject).resume(),
    )
    return 0
  }
  const stream = await exec.start({ hijack: true, stdin: stdin !== undefined })
  await streamAttached(engine, stream, { stdout, stderr, ...(stdin && { stdin }) })
  return (await exec.inspect()).ExitCode ?? 1
}

/**
 * Connects an attached (hijacked, multiplexed) stream of the engine to this side: its standard
 * output and error to `stdout` and `stderr` as they come, `stdin` into it. Resolves when the
 * stream ends (rejects on its error); `stdin` is let go then.
 */
export async function streamAttached(
  engine: Engine,
  stream: NodeJS.ReadWriteStream,
  io: {
    readonly stdout: NodeJS.WritableStream
    readonly stderr: NodeJS.WritableStream
    readonly stdin?: NodeJS.ReadableStream
  },
): Promise<void> {
  const out = new PassThrough()
  const err = new PassThrough()
  out.pipe(io.stdout, { end: false })
  err.pipe(io.stderr, { end: false })
  engine.container.dockerode.modem.demuxStream(stream, out, err)
  // The input's end is passed on as a half-close, so that `cat`, `psql` or `sh` see end-of-file.
  io.stdin?.pipe(stream)
  try {
    await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('close', resolve).on('error', reject))
  } finally {
    io.stdin?.unpipe(stream)
  }
}
