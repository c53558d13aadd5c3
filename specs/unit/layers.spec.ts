import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Every import specifier of every TypeScript file under `dir`, as `file: specifier`. */
function importsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^import .* from '([^']+)'/gm)].map((m) => `${join(dir, f)}: ${m[1]}`))
}

describe('the layers', () => {
  it('keep the compose model pure: no file system, environment, engine or testcontainers', () => {
    const compose = importsUnder('harness/compose')
    expect(compose.filter((i) => /: (node:fs|fs|node:child_process|testcontainers|dockerode|\.\.\/runtime)/.test(i))).toEqual([])
    const envReads = readdirSync('harness/compose').filter((f) => f.endsWith('.ts') && readFileSync(join('harness/compose', f), 'utf8').includes('process.env'))
    expect(envReads).toEqual([])
  })

  it('let only the runtime layer import testcontainers', () => {
    const outside = importsUnder('harness').filter((i) => !i.startsWith('harness/runtime/') && /: testcontainers$/.test(i))
    expect(outside).toEqual([])
    expect(importsUnder('harness/runtime').some((i) => /: testcontainers$/.test(i))).toBe(true)
  })

  it('have no import cycle, type imports included', () => {
    const files = readdirSync('harness', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => resolve('harness', f))
    const graph = new Map(files.map((file) => {
      const specifiers = [...readFileSync(file, 'utf8').matchAll(/^(?:import|export) [^'\n]*from '(\.[^']+)'/gm)].map((m) => m[1]!)
      return [file, specifiers.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'))]
    }))
    const cycles: string[] = []
    const state = new Map<string, 'open' | 'done'>()
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => f.slice(resolve('harness').length + 1)).join(' -> '))
        return
      }
      state.set(file, 'open')
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file])
      state.set(file, 'done')
    }
    for (const file of [...graph.keys()].sort()) visit(file, [])
    expect(cycles).toEqual([])
  })
})
