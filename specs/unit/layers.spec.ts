import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

/** An import or re-export statement, over as many lines as the formatter gives it; its specifier is group 1. */
const IMPORT = /^(?:import|export)\b[^']*?\bfrom '([^']+)'/gm

/** `await import('testcontainers')`: a module loaded when it is first needed. */
const DYNAMIC_IMPORT = /\bimport\('([^']+)'\)/g

/** Every import specifier of every TypeScript file under `dir`, as `file: specifier`. */
function importsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const text = readFileSync(join(dir, f), 'utf8')
      return [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC_IMPORT)].map((m) => `${join(dir, f)}: ${m[1]}`)
    })
}

/** What each folder of harness/ may import from harness/ (itself always): the layers, bottom up. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  model: ['errors.ts'],
  runtime: ['model', 'errors.ts'],
  report: ['runtime', 'model', 'errors.ts'],
  api: ['report', 'runtime', 'model', 'errors.ts'],
  conformance: ['api', 'report', 'runtime', 'model', 'errors.ts'],
  cli: ['conformance', 'api', 'report', 'runtime', 'model', 'errors.ts'],
  vitest: ['api', 'report', 'runtime', 'model', 'errors.ts'],
  'index.ts': ['api', 'runtime', 'model', 'errors.ts'],
}

/** `harness/runtime/reaper/reaper.ts` → `runtime`; `harness/errors.ts` → `errors.ts`. */
function layerOf(file: string): string {
  return relative(resolve('harness'), file).split(sep)[0]!
}

/** Every harness file and the harness files it imports (type imports and re-exports included). */
function importGraph(): Map<string, string[]> {
  const files = readdirSync('harness', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => resolve('harness', f))
  return new Map(
    files.map((file) => {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]!)
      return [
        file,
        specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts')),
      ]
    }),
  )
}

describe('the layers', () => {
  it('import only downwards: each folder only what its layer may use', () => {
    const graph = importGraph()
    expect(new Set([...graph.keys()].map(layerOf))).toEqual(new Set(Object.keys(MAY_IMPORT)))
    const forbidden = [...graph].flatMap(([file, imports]) =>
      imports
        .filter((target) => layerOf(target) !== layerOf(file) && !MAY_IMPORT[layerOf(file)]!.includes(layerOf(target)))
        .map((target) => `${relative('harness', file)} -> ${relative('harness', target)}`),
    )
    expect(forbidden).toEqual([])
  })

  it('keep the compose model pure: no file system, environment, engine or testcontainers', () => {
    const compose = importsUnder('harness/model')
    expect(
      compose.filter((i) => /: (node:fs|fs|node:child_process|testcontainers|dockerode|(?:\.\.\/)+runtime)/.test(i)),
    ).toEqual([])
    const envReads = readdirSync('harness/model', { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && readFileSync(join('harness/model', f), 'utf8').includes('process.env'),
    )
    expect(envReads).toEqual([])
  })

  it('let only the runtime layer import testcontainers', () => {
    const outside = importsUnder('harness').filter(
      (i) => !i.startsWith('harness/runtime/') && /: testcontainers$/.test(i),
    )
    expect(outside).toEqual([])
    expect(importsUnder('harness/runtime').some((i) => /: testcontainers$/.test(i))).toBe(true)
  })

  it('have no import cycle, type imports included', () => {
    const graph = importGraph()
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => relative('harness', f)).join(' -> '))
        return
      }
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file])
      state.set(file, 'done')
    }
    for (const file of [...graph.keys()].sort()) visit(file, [])
    expect(cycles).toEqual([])
  })

  it('give each folder a README that says what it holds and what it may import', () => {
    for (const folder of Object.keys(MAY_IMPORT).filter((layer) => !layer.endsWith('.ts'))) {
      expect(mayImportLine(join('harness', folder)), folder).toBeDefined()
    }
  })
})

/** The folders below a layer that hold code: its rooms (`runtime/engine`, `model/fields`, `cli/commands`…). */
function rooms(): string[] {
  return readdirSync('harness', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.split(sep).length === 2 && statSync(join('harness', f)).isDirectory())
    .map((f) => join('harness', f))
    .sort()
}

/** The paths a folder's README lets it import (`May import: \`../engine\`, \`../../errors.ts\``), resolved. */
function mayImportLine(folder: string): string[] | undefined {
  const line = /^May import: (.*)$/m.exec(readFileSync(join(folder, 'README.md'), 'utf8'))?.[1]
  if (line === undefined) return undefined
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => resolve(folder, m[1]!))
}

/** Whether `file` is `target` or inside it. */
function isWithin(file: string, target: string): boolean {
  return file === target || file.startsWith(target + sep)
}

describe('the rooms inside a layer', () => {
  it('each have a README whose "May import:" line names every room or file they import outside themselves', () => {
    const graph = importGraph()
    const forbidden = rooms().flatMap((room) => {
      const allowed = mayImportLine(room)
      if (allowed === undefined) return [`${room}: its README has no "May import:" line`]
      const layer = resolve(room, '..')
      return [...graph]
        .filter(([file]) => dirname(file) === resolve(room))
        .flatMap(([file, imports]) =>
          imports
            .filter((target) => !isWithin(target, resolve(room)) && isWithin(target, layer))
            .filter((target) => !allowed.some((a) => isWithin(target, a)))
            .map((target) => `${relative('harness', file)} -> ${relative('harness', target)}`),
        )
    })
    expect(forbidden).toEqual([])
  })

  it('are layered: no room may import a room that may import it', () => {
    const allowedBy = new Map(rooms().map((room) => [resolve(room), mayImportLine(room) ?? []]))
    const cycles: string[] = []
    const visit = (room: string, trail: string[]): void => {
      if (trail.includes(room)) {
        cycles.push([...trail.slice(trail.indexOf(room)), room].map((r) => relative('harness', r)).join(' -> '))
        return
      }
      for (const next of allowedBy.get(room) ?? []) if (allowedBy.has(next)) visit(next, [...trail, room])
    }
    for (const room of allowedBy.keys()) visit(room, [])
    expect(cycles).toEqual([])
  })
})

describe('the folder READMEs', () => {
  /** Every folder under harness/ with code in it. */
  const folders = (): string[] => [
    ...Object.keys(MAY_IMPORT)
      .filter((layer) => !layer.endsWith('.ts'))
      .map((layer) => join('harness', layer)),
    ...rooms(),
  ]

  it('name every file of their folder, and no file that is not there (from the folder, harness/ or the root)', () => {
    const wrong = folders().flatMap((folder) => {
      const readme = readFileSync(join(folder, 'README.md'), 'utf8')
      const named = new Set([...readme.matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]!))
      const files = readdirSync(folder).filter((f) => f.endsWith('.ts'))
      const unnamed = files.filter((f) => !named.has(f)).map((f) => `${folder}: ${f} is not named`)
      const missing = [...named]
        .filter((name) => ![folder, 'harness', '.'].some((base) => existsSync(resolve(base, name))))
        .map((name) => `${folder}: names ${name}, which is not there`)
      return [...unnamed, ...missing]
    })
    expect(wrong).toEqual([])
  })
})
