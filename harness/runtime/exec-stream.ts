import { PassThrough } from 'node:stream'
import type { Engine } from './engine.js'

/** Runs a command in a container, streaming its output as it comes; resolves with its exit code. */
export async function execStreaming(engine: Engine, id: string, command: readonly string[], stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<number> {
  const exec = await engine.container.getById(id).exec({ Cmd: [...command], AttachStdout: true, AttachStderr: true })
  const stream = await exec.start({ hijack: true, stdin: false })
  const out = new PassThrough()
  const err = new PassThrough()
  out.pipe(stdout, { end: false })
  err.pipe(stderr, { end: false })
  engine.container.dockerode.modem.demuxStream(stream, out, err)
  await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject))
  return (await exec.inspect()).ExitCode ?? 1
}
