import { describe, expect, it } from 'vitest'
import { planWatchBatch, ruleMapping, watchRulesOf } from '../../../harness/runtime/watch/watch-rules.js'
import { loadInline } from '../support/load-inline.js'

// The rules as Compose v2's watch applies them (pkg/compose/watch.go): which rule takes a change,
// where it goes in the container, and what a batch asks of each service.
const { project } = loadInline(`services:
  web:
    image: web
    build: ./web
    develop:
      watch:
        - {path: ./web/src, target: /app/src, action: sync, ignore: [tmp/, "*.log"]}
        - {path: ./web/src/templates, target: /app/templates, action: sync+exec, include: ["*.html"], exec: {command: "reload now", environment: {MODE: fast}}}
        - {path: ./web/package.json, action: rebuild}
        - {path: ./web/config, action: sync+restart, target: /etc/web, initial_sync: true}
  worker:
    image: worker
    develop:
      watch:
        - {path: ./worker, action: restart}
`)
const dir = project.services.web!.build!.context.replace(/\/web$/, '')
const ignores = (service: string) =>
  service === 'web' ? { root: `${dir}/web`, patterns: ['src/secret.txt'] } : undefined
const rules = watchRulesOf(project, [], ignores)
const at = (path: string) => `${dir}/${path}`

describe('watch rules', () => {
  it('are each service’s develop.watch rules, paths absolute, of the services named (all when none is)', () => {
    expect(rules.map((r) => [r.service, r.action, r.path.slice(dir.length), r.initialSync])).toEqual([
      ['web', 'sync', '/web/src', false],
      ['web', 'sync+exec', '/web/src/templates', false],
      ['web', 'rebuild', '/web/package.json', false],
      ['web', 'sync+restart', '/web/config', true],
      ['worker', 'restart', '/worker', false],
    ])
    expect(rules[1]!.exec).toEqual({ command: ['reload', 'now'], environment: { MODE: 'fast' } })
    expect(watchRulesOf(project, ['worker'], ignores).map((r) => r.service)).toEqual(['worker'])
  })

  it('sync first on the x-initialSync that came before initial_sync, and say that it is deprecated, as v2 does', () => {
    const legacy = loadInline(`services:
  web:
    image: web
    develop:
      watch:
        - {path: ./a, target: /a, action: sync, x-initialSync: true}
        - {path: ./b, target: /b, action: sync, initial_sync: true, x-initialSync: true}
        - {path: ./c, target: /c, action: sync, x-initialSync: false}
`).project
    expect(watchRulesOf(legacy, [], () => undefined).map((r) => [r.initialSync, r.deprecatedInitialSync])).toEqual([
      [true, true],
      [true, undefined],
      [false, undefined],
    ])
  })

  it('put a changed file under the target, and take nothing outside the path, ignored, or not included', () => {
    const sync = rules[0]!
    expect(ruleMapping(sync, at('web/src/a/b.js'))).toEqual({
      hostPath: at('web/src/a/b.js'),
      containerPath: '/app/src/a/b.js',
    })
    expect(ruleMapping(sync, at('web/src'))?.containerPath).toBe('/app/src')
    for (const left of [
      'web/other.js', // outside the path
      'web/src/tmp/x.js', // the rule's ignore: a directory
      'web/src/debug.log', // the rule's ignore: a pattern, at the path's top (as .dockerignore reads it)
      'web/src/secret.txt', // the build context's .dockerignore
      'web/src/.main.js.swp', // an editor's temporary file
      'web/src/main.js~',
    ])
      expect(ruleMapping(sync, at(left)), left).toBeUndefined()
    // `*.log` is of the path's top level only, as moby's pattern matcher reads it.
    expect(ruleMapping(sync, at('web/src/deep/debug.log'))?.containerPath).toBe('/app/src/deep/debug.log')
    // Compose v2 leaves out `/.git` only (its `.git/` is made absolute from `/`): a project's own is taken.
    expect(ruleMapping(sync, at('web/src/.git/HEAD'))).toBeDefined()
    const templates = rules[1]!
    expect(ruleMapping(templates, at('web/src/templates/page.html'))?.containerPath).toBe('/app/templates/page.html')
    expect(ruleMapping(templates, at('web/src/templates/page.css'))).toBeUndefined()
  })

  it('ask of a batch: rebuilds, syncs by service (each path once a rule), restarts and each sync+exec rule once', () => {
    const plan = planWatchBatch(rules, [
      at('web/src/templates/page.html'),
      at('web/src/templates/other.html'),
      at('web/package.json'),
      at('web/config/app.ini'),
      at('worker/job.py'),
      at('web/src/tmp/ignored.js'),
    ])
    expect(plan.rebuild).toEqual(['web'])
    expect(plan.restart).toEqual(['web', 'worker'])
    expect(plan.sync.get('web')!.map((m) => m.containerPath)).toEqual([
      '/app/src/templates/page.html',
      '/app/templates/page.html',
      '/app/src/templates/other.html',
      '/app/templates/other.html',
      '/etc/web/app.ini',
    ])
    expect(plan.exec.get('web')).toEqual([rules[1]])
    expect(plan.sync.has('worker')).toBe(false)
    expect(planWatchBatch(rules, [at('elsewhere/file')])).toEqual({
      rebuild: [],
      sync: new Map(),
      restart: [],
      exec: new Map(),
    })
  })
})
