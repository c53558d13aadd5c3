// The CLI as one JavaScript file, dist/cli.js, so that a command starts without compiling its
// TypeScript first (about 0.17 s sooner a command). The bundle is used only while it is newer than
// every source file under harness/: an edited source makes bin/compose-harness.js run the sources
// through tsx again until the next `npm ci`, `npm start` or `npm test` rebuilds it.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BUNDLE = join(ROOT, 'dist', 'cli.js')
const SOURCES = join(ROOT, 'harness')

/**
 * The bundle exists, and neither a source under `sources` nor `bundler` (this file, which says how
 * it is bundled) has changed since it was written.
 */
export function isBundleFresh(bundle = BUNDLE, sources = SOURCES, bundler = fileURLToPath(import.meta.url)) {
  if (!existsSync(bundle)) return false
  const built = statSync(bundle).mtimeMs
  if (statSync(bundler).mtimeMs >= built) return false
  return readdirSync(sources, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .every((entry) => statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs < built)
}

/**
 * Modules that the bundled libraries require at load time but the harness never reaches: HTTP
 * waits (undici), copying archives into containers (archiver), BuildKit sessions and progress
 * (grpc, protobufjs, dockerode's ./session), compose files read by testcontainers (yaml), ssh://
 * engines (ssh2, through docker-modem's ./ssh), and Testcontainers' port forwarder (ssh2 itself,
 * which ssh-remote-port-forward requires). Each is replaced by a stand-in that requires the real
 * module from node_modules on first use, so that loading the engine libraries does not pay for
 * them (about 0.2 s; ssh2 and the modules it loads, about 45 ms of it).
 */
const LAZY = new Map([
  ['undici', 'undici'],
  ['archiver', 'archiver'],
  ['@grpc/grpc-js', '@grpc/grpc-js'],
  ['@grpc/proto-loader', '@grpc/proto-loader'],
  ['protobufjs', 'protobufjs'],
  ['yaml', 'yaml'],
  ['./ssh', 'docker-modem/lib/ssh.js'],
  ['ssh2', 'ssh2'],
  // BuildKit's session (a build with `version: 2`): it reads its .proto file beside its own module.
  ['./session', 'dockerode/lib/session.js'],
])

/** @type {import('esbuild').Plugin} */
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    const names = [...LAZY.keys()].map((name) => name.replace(/[./]/g, '\\$&'))
    build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => {
      if (args.kind !== 'require-call' || !args.importer.includes('node_modules')) return undefined
      if (args.path === './ssh' && !args.importer.includes('docker-modem')) return undefined
      if (args.path === './session' && !args.importer.includes('dockerode')) return undefined
      return { path: LAZY.get(args.path), namespace: 'lazy-module' }
    })
    // The stand-in's own require() is left to Node, at run time.
    build.onResolve({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({ path: args.path, external: true }))
    build.onLoad({ filter: /.*/, namespace: 'lazy-module' }, (args) => ({
      loader: 'js',
      // A function, so that a module that is itself a function (archiver, ./ssh) can be called;
      // `__esModule` is answered without loading, as TypeScript's interop helpers ask it at once.
      contents: `let real
const load = () => (real ??= require(${JSON.stringify(args.path)}))
module.exports = new Proxy(function () {}, {
  get: (_, key) => (key === '__esModule' ? undefined : load()[key]),
  has: (_, key) => key in load(),
  apply: (_, self, args) => load().apply(self, args),
  construct: (_, args) => new (load())(...args),
})
`,
    }))
  },
}

/**
 * Writes dist/cli.js (or `outdir`/cli.js) from harness/cli/main.ts, with what only reaching the engine
 * needs (testcontainers, dockerode, tar-fs: runtime/engine/engine-libraries.ts) in a chunk of its own that
 * the CLI imports when it first reaches the engine: one file read at once, about 0.2 s sooner than
 * module by module from node_modules. js-yaml and yaml stay imports of node_modules, and so does
 * ssh2 (only an ssh:// DOCKER_HOST uses it; it locates files beside its own modules).
 */
export async function buildBundle(outdir = dirname(BUNDLE)) {
  const { build } = await import('esbuild')
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true })
  await build({
    entryPoints: [join(ROOT, 'harness', 'cli', 'main.ts')],
    outdir,
    entryNames: 'cli',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    external: ['js-yaml', 'yaml', 'ssh2', 'cpu-features', '*.node'],
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The bundled CommonJS modules call require() for Node's own modules and for ssh2.
    plugins: [lazyModules],
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    logLevel: 'warning',
  })
}
