import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
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
})
