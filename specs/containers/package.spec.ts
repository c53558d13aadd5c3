import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ECHO_FILE, TEST_PROJECT_PREFIX, uniqueProjectName } from './support/test-projects.js'

// The package as a team gets it: `npm pack`, the tarball installed into a project of its own
// (with vitest, from npm's cache), and used there without any TypeScript loader.
const consumer = mkdtempSync(join(tmpdir(), 'compose-harness-consumer-'))
let packed: { filename: string; files: { path: string }[] }

/** The consumer's environment: the spec's, without what would make a nested vitest think it is a worker of this one. */
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')))

function run(command: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, {
    cwd: consumer,
    env: { ...env, ...extraEnv, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 240_000,
  })
}

beforeAll(() => {
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', consumer], {
    encoding: 'utf8',
    timeout: 240_000,
  })
  expect(pack.status, pack.stderr).toBe(0)
  ;[packed] = JSON.parse(pack.stdout) as [typeof packed]
  const tarball = join(consumer, packed.filename)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  const vitest = (JSON.parse(readFileSync(resolve('node_modules/vitest/package.json'), 'utf8')) as { version: string })
    .version
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `vitest@${vitest}`])
  expect(install.status, install.stderr).toBe(0)
}, 480_000)

afterAll(() => rmSync(consumer, { recursive: true, force: true }))

describe('the npm package, installed from its tarball', () => {
  it('holds compiled JavaScript with type declarations, the CLI and the reaper, and no TypeScript source', () => {
    const paths = packed.files.map((f) => f.path)
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/compose-harness/package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string }>
      bin: Record<string, string>
    }
    for (const entry of Object.values(manifest.exports)) {
      expect(paths).toContain(entry.types.replace('./', ''))
      expect(paths).toContain(entry.default.replace('./', ''))
    }
    expect(paths).toContain(manifest.bin['compose-harness']!.replace('./', ''))
    expect(paths).toEqual(expect.arrayContaining(['dist/cli.js', 'Dockerfile.reaper', 'reaper/reaper.py']))
    expect(paths.filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))).toEqual([])
    expect(paths.filter((p) => /^(specs|fixtures|bench|harness)\//.test(p))).toEqual([])
  })

  it('brings a project up and down from plain Node', () => {
    writeFileSync(
      join(consumer, 'plain.mjs'),
      `import { Compose } from 'compose-harness'
const project = await Compose.fromFiles(process.env.ECHO_FILE).withProjectName(process.env.PROJECT).up()
try {
  await project.service('client').waitForLog(/Received: Hello, world/, { timeoutMs: 30_000 })
  console.log('echoed through', project.name)
} finally {
  await project.down()
}
`,
    )
    const project = uniqueProjectName('package-plain')
    const plain = run(process.execPath, ['plain.mjs'], { ECHO_FILE, PROJECT: project })
    expect(plain.stderr).toBe('')
    expect(plain.stdout).toBe(`echoed through ${project}\n`)
    expect(plain.status).toBe(0)
  })

  it("runs a test with the package's vitest fixture", () => {
    writeFileSync(
      join(consumer, 'echo.test.mjs'),
      `import { expect } from 'vitest'
import { composeTest } from 'compose-harness/vitest'
const test = composeTest({ files: [process.env.ECHO_FILE], projectPrefix: '${TEST_PROJECT_PREFIX}package-vitest-' })
test('the client is echoed', async ({ compose }) => {
  await expect(compose.service('client')).toHaveLogged(/Received: Hello, world/)
})
`,
    )
    const vitest = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'echo.test.mjs'], { ECHO_FILE })
    expect(vitest.stdout + vitest.stderr).toMatch(/Tests\s+1 passed \(1\)/)
    expect(vitest.status).toBe(0)
  })

  it('runs a test with node:test', () => {
    writeFileSync(
      join(consumer, 'echo.node-test.mjs'),
      `import { test } from 'node:test'
import { Compose } from 'compose-harness'
test('the client is echoed', async () => {
  const project = await Compose.fromFiles(process.env.ECHO_FILE).withProjectName(process.env.PROJECT).up()
  try {
    await project.service('client').waitForLog(/Received: Hello, world/, { timeoutMs: 30_000 })
  } finally {
    await project.down()
  }
})
`,
    )
    const test = run(process.execPath, ['--test', 'echo.node-test.mjs'], {
      ECHO_FILE,
      PROJECT: uniqueProjectName('package-node-test'),
    })
    expect(test.stdout).toMatch(/^# pass 1$/m)
    expect(test.stdout).toMatch(/^# fail 0$/m)
    expect(test.status).toBe(0)
  })

  it('runs its CLI through npx: up -d, ps, down', () => {
    const cli = (...args: string[]) =>
      run('npx', ['--no-install', 'compose-harness', '-f', ECHO_FILE, '-p', project, ...args])
    const project = uniqueProjectName('package-npx')
    // One JSON object a line, as Compose v2 prints them.
    const services = () =>
      cli('ps', '--format', 'json')
        .stdout.split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { Service: string }).Service)
        .sort()
    const up = cli('up', '-d')
    expect(up.status, up.stderr).toBe(0)
    expect(services()).toEqual(['client', 'echo-server'])
    const down = cli('down')
    expect(down.status, down.stderr).toBe(0)
    expect(services()).toEqual([])
  })
})
