// Peak memory (resident set high-water mark, VmHWM) of a command of any language, read from
// /proc while it runs; the last reading before it exits is its peak, give or take its final
// millisecond. The same reading for every tool compared.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

export async function peakMiB(command: string, args: readonly string[]): Promise<number> {
  const child = spawn(command, args, { stdio: 'ignore' })
  let peakKiB = 0
  const read = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]))
    } catch {
      // gone between two readings
    }
  }
  const timer = setInterval(read, 1)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearInterval(timer)
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`)
  return peakKiB / 1024
}
