import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain JavaScript module of the scripts, without type declarations
import { buildBundle, isBundleFresh } from '../../../scripts/cli-bundle.mjs'

const scratch = mkdtempSync(join(tmpdir(), 'bundle-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('the CLI bundle', () => {
  it('counts as fresh only while it exists and is newer than every source and than the bundler', () => {
    const sources = join(scratch, 'harness')
    mkdirSync(join(sources, 'cli'), { recursive: true })
    const bundle = join(scratch, 'cli.js')
    const source = join(sources, 'cli', 'main.ts')
    const bundler = join(scratch, 'cli-bundle.mjs')
    writeFileSync(source, '')
    writeFileSync(bundler, '')
    utimesSync(source, 1000, 1000)
    utimesSync(bundler, 1000, 1000)
    expect(isBundleFresh(bundle, sources, bundler)).toBe(false)
    writeFileSync(bundle, '')
    utimesSync(bundle, 2000, 2000)
    expect(isBundleFresh(bundle, sources, bundler)).toBe(true)
    utimesSync(bundler, 3000, 3000)
    expect(isBundleFresh(bundle, sources, bundler)).toBe(false)
    utimesSync(bundler, 1000, 1000)
    utimesSync(source, 3000, 3000)
    expect(isBundleFresh(bundle, sources, bundler)).toBe(false)
  })

  it('runs the same CLI as the sources do', async () => {
    const outdir = resolve('dist', `spec-${process.pid}`)
    const outfile = join(outdir, 'cli.js')
    try {
      await buildBundle(outdir)
      const args = [
        '-f',
        'fixtures/echo/docker-compose.yml',
        '-f',
        'fixtures/echo/docker-compose.build.yml',
        'config',
        '--format',
        'json',
      ]
      const run = `const cli = await import(${JSON.stringify(outfile)}); process.exitCode = await cli.main(${JSON.stringify(args)})`
      const bundled = spawnSync(process.execPath, ['--input-type=module', '-e', run], { encoding: 'utf8' })
      const source = spawnSync(process.execPath, ['bin/compose-harness.js', ...args], {
        encoding: 'utf8',
        env: { ...process.env, COMPOSE_HARNESS_FROM_SOURCE: '1' },
      })
      expect(bundled.status).toBe(0)
      expect(JSON.parse(bundled.stdout).services.client.image).toBe('client')
      expect(bundled.stdout).toBe(source.stdout)
      expect(bundled.stderr).toBe(source.stderr)
      // `--help` reads the entry and what it imports statically: no package among them. The
      // model (js-yaml) comes with the first command, the engine libraries with the first contact.
      const atStartUp = staticPackages(outfile)
      expect(atStartUp).toContain('node:fs')
      expect([...atStartUp].filter((module) => !module.startsWith('node:'))).toEqual([])
      const chunks = readdirSync(join(outdir, 'chunks')).map((f) => readFileSync(join(outdir, 'chunks', f), 'utf8'))
      expect(chunks.some((c) => /^import [^;]* from "js-yaml";$/m.test(c))).toBe(true)
      expect(chunks.some((c) => /await import\("\.\/engine-libraries-[^"]*\.js"\)/.test(c))).toBe(true)
      // A file with `version` loaded, then the engine libraries: no package they leave lazy (yaml,
      // ssh2 and those it needs, undici, grpc…) is loaded, nor `yaml` for the warning's file name.
      expect(packagesLoaded(outdir, ['-f', 'fixtures/echo/docker-compose.yml', 'config', '-q'])).toEqual([
        '@balena/dockerignore',
      ])
    } finally {
      rmSync(outdir, { recursive: true, force: true })
    }
  })
})

/**
 * The packages of node_modules that Node's CommonJS loader has loaded once the bundle in `outdir`
 * has run `args` and its engine libraries have been imported (the bundled ones are not among them).
 */
function packagesLoaded(outdir: string, args: readonly string[]): string[] {
  const chunk = readdirSync(join(outdir, 'chunks')).find((f) => f.startsWith('engine-libraries-'))!
  const run = [
    `const { createRequire } = await import('node:module')`,
    `const cli = await import(${JSON.stringify(join(outdir, 'cli.js'))})`,
    `process.exitCode = await cli.main(${JSON.stringify(args)})`,
    `await import(${JSON.stringify(join(outdir, 'chunks', chunk))})`,
    `const loaded = Object.keys(createRequire(import.meta.url).cache)`,
    `console.log(JSON.stringify(loaded))`,
  ].join('\n')
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', run], { encoding: 'utf8' })
  expect(result.status).toBe(0)
  const packages = (JSON.parse(result.stdout) as string[]).flatMap((file) => {
    const [, name] = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file) ?? []
    return name ? [name] : []
  })
  return [...new Set(packages)].sort()
}

/** The modules a bundle file imports statically, following its own chunks, that are not files of the bundle. */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>()
  if (seen.has(file)) return found
  seen.add(file)
  for (const [, module] of readFileSync(file, 'utf8').matchAll(/^import (?:[^;]* from )?"([^"]*)";$/gm)) {
    if (module!.startsWith('.')) for (const m of staticPackages(join(dirname(file), module!), seen)) found.add(m)
    else found.add(module!)
  }
  return found
}
