import type { BuildStatus, VertexStatus } from '../runtime/images/buildkit-status.js'

/**
 * Pure: builds under `--progress plain`, as Compose v2 shows them: BuildKit's own plain printer
 * (its progressui `printer.go`), each step numbered in the order it starts (`#3 [app 2/3] RUN …`),
 * its transfers (`#1 transferring context: 248B done`), its output with the seconds since it
 * started (`#6 0.237 hello`), the Dockerfile's lint warnings (`#1 WARN: FromAsCasing: …`), and how it ended (`#6 DONE 0.3s`, `#4 CACHED`, `#4 ERROR: …`); a step
 * left for another's output is closed with `#6 ...` and named again when it goes on. Each step's
 * name carries its service as buildx prefixes it (`[app 2/3]`, `[app] exporting to image`). The
 * harness builds each service in a solve of its own, where v2 builds them in one: the numbers run
 * across the services, and steps v2 would share are shown for each.
 */

/** What a step has shown and has still to show. */
interface Step {
  index: number
  name: string
  startedAt?: number
  completedAt?: number
  cached: boolean
  error?: string
  /** Output lines not yet shown, each with the seconds since the step started. */
  pending: string[]
  /** Transfers by id, in the order they started; which have news; the last of each shown. */
  readonly statuses: Map<string, VertexStatus>
  readonly updated: Set<string>
  readonly shown: Map<string, { current: number; at: number }>
  /** Warnings not yet shown. */
  warnings: string[]
  /** An output line cut short, to be continued by the next message. */
  partial: boolean
  /** Its last output lines, for the summary of a failed step. */
  readonly tail: string[]
}

const DESCRIPTION = 'building with "default" instance using docker driver'
/** BuildKit's printer: a transfer not done is shown again once it moved 5 % or 5 s went by. */
const MIN_PROGRESS = 0.05
const MIN_TIME_MS = 5000
const TAIL_LINES = 10

/** Pure: a step's name as buildx prefixes it with its build's name: `[app 2/3] RUN …`, `[app] exporting to image`. */
export function prefixed(service: string, name: string): string {
  return name.startsWith('[') ? `[${service} ${name.slice(1)}` : `[${service}] ${name}`
}

/** Pure: bytes as BuildKit's printer shows them (`units.Bytes` with `%.2f`): `124B`, `1.23kB`, `4.57MB`. */
export function bytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  let i = 0
  let base = 1
  while (i < units.length - 1 && n >= base * 1000) {
    base *= 1000
    i++
  }
  return i === 0 ? `${n}B` : `${(n / base).toFixed(2)}${units[i]}`
}

/** Pure: seconds as BuildKit's printer writes a log line's time: 3 decimals under 10 s, 2 under 100 s, else 1. */
function logTime(ms: number): string {
  const sec = Math.max(0, ms) / 1000
  return sec.toFixed(sec < 10 ? 3 : sec < 100 ? 2 : 1)
}

export class PlainBuildTrace {
  private readonly steps = new Map<string, Step>()
  private current: Step | undefined
  private next = 0
  private first = true
  /** Steps with news not yet shown. */
  private readonly touched = new Set<Step>()

  constructor(private readonly say: (line: string) => void) {}

  /** One of BuildKit's status messages of `service`'s build, taken in; `flush` shows what it changed. */
  status(service: string, status: BuildStatus): void {
    const touched = this.touched
    for (const v of status.vertexes) {
      const key = `${service}\0${v.digest}`
      const step = this.steps.get(key) ?? this.newStep(key, prefixed(service, v.name))
      const changed =
        (v.startedAt !== undefined && step.startedAt === undefined) ||
        (v.completedAt !== undefined && step.completedAt === undefined) ||
        v.cached !== step.cached ||
        (v.error ?? '') !== (step.error ?? '')
      if (v.startedAt !== undefined) step.startedAt ??= v.startedAt
      if (v.completedAt !== undefined) step.completedAt = v.completedAt
      step.cached = v.cached
      if (v.error) step.error = v.error
      if (changed && step.startedAt !== undefined) touched.add(step)
    }
    for (const s of status.statuses ?? []) {
      const step = this.steps.get(`${service}\0${s.vertex}`)
      if (!step) continue
      step.statuses.set(s.id, s)
      step.updated.add(s.id)
      touched.add(step)
    }
    for (const w of status.warnings ?? []) {
      const step = this.steps.get(`${service}\0${w.vertex}`)
      if (!step) continue
      step.warnings.push(w.short)
      touched.add(step)
    }
    for (const l of status.logs) {
      const step = this.steps.get(`${service}\0${l.vertex}`)
      if (!step) continue
      this.addLog(step, l.msg, (l.timestamp ?? 0) - (step.startedAt ?? l.timestamp ?? 0))
      touched.add(step)
    }
  }

  /**
   * What changed since the last flush, as BuildKit's printer shows it at each of its ticks: the
   * steps that ended, by when they ended (the one it was at first); then one still going, the one it
   * was at if that has news; the others wait for a later tick.
   */
  flush(): void {
    const ended = [...this.touched]
      .filter((s) => s.completedAt !== undefined)
      .sort((a, b) => (a === this.current ? -1 : b === this.current ? 1 : a.completedAt! - b.completedAt!))
    for (const step of ended) {
      this.touched.delete(step)
      this.print(step)
    }
    const going = this.current && this.touched.has(this.current) ? this.current : [...this.touched][0]
    if (!going) return
    this.touched.delete(going)
    this.print(going)
  }

  /** The summary BuildKit's printer ends a build with, for each step of `service` that failed: its name and last output lines. */
  summary(service: string): string[] {
    return [...this.steps.entries()]
      .filter(
        ([key, step]) =>
          key.startsWith(`${service}\0`) && step.error !== undefined && !/context canceled$/.test(step.error),
      )
      .flatMap(([, step]) => ['------', ` > ${step.name}:`, ...step.tail, '------'])
  }

  private newStep(key: string, name: string): Step {
    const step: Step = {
      index: 0,
      name,
      cached: false,
      pending: [],
      warnings: [],
      statuses: new Map(),
      updated: new Set(),
      shown: new Map(),
      partial: false,
      tail: [],
    }
    this.steps.set(key, step)
    return step
  }

  private addLog(step: Step, msg: string, sinceStart: number): void {
    const parts = msg.split('\n')
    const complete = msg.endsWith('\n')
    if (complete) parts.pop()
    parts.forEach((part, i) => {
      if (i === 0 && step.partial && step.pending.length > 0) step.pending[step.pending.length - 1] += part
      else step.pending.push(`${logTime(sinceStart)} ${part}`)
    })
    step.partial = !complete
  }

  private print(step: Step): void {
    if (step.index === 0) step.index = ++this.next
    const n = `#${step.index}`
    if (this.current !== step) {
      if (this.current) this.say(`#${this.current.index} ...`)
      if (this.first) {
        this.say(`#0 ${DESCRIPTION}`)
        this.first = false
      }
      this.say('')
      this.say(`${n} ${step.name}`)
    }
    let open = false
    for (const [id, s] of step.statuses) {
      if (!step.updated.has(id)) continue
      const last = step.shown.get(id)
      const at = s.timestamp ?? 0
      if (last && s.completedAt === undefined) {
        const progress = s.total > 0 ? (s.current - last.current) / s.total : 0
        if (progress < MIN_PROGRESS && at - last.at < MIN_TIME_MS) continue
      }
      step.shown.set(id, { current: s.current, at })
      const amount =
        s.total !== 0 ? ` ${bytes(s.current)} / ${bytes(s.total)}` : s.current !== 0 ? ` ${bytes(s.current)}` : ''
      const took = s.startedAt !== undefined ? ((s.completedAt ?? at) - s.startedAt) / 1000 : 0
      const time = `${took > 0.01 ? ` ${took.toFixed(1)}s` : ''}${s.completedAt !== undefined ? ' done' : ''}`
      if (s.completedAt === undefined) open = true
      this.say(`${n} ${id}${amount}${time}`)
    }
    step.updated.clear()
    for (const warning of step.warnings) this.say(`${n} WARN: ${warning}`)
    step.warnings = []
    const lines = step.partial ? step.pending.slice(0, -1) : step.pending
    for (const line of lines) {
      this.say(`${n} ${line}`)
      step.tail.push(line)
    }
    step.tail.splice(0, Math.max(0, step.tail.length - TAIL_LINES))
    step.pending = step.partial ? step.pending.slice(-1) : []
    this.current = step
    if (step.completedAt === undefined || open) return
    this.current = undefined
    if (step.error !== undefined)
      this.say(/context canceled$/.test(step.error) ? `${n} CANCELED` : `${n} ERROR: ${step.error}`)
    else if (step.cached) this.say(`${n} CACHED`)
    else this.say(`${n} DONE ${((step.completedAt - (step.startedAt ?? step.completedAt)) / 1000).toFixed(1)}s`)
  }
}
