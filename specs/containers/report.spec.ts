import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { browser, renderedDom } from './support/browser.js'
import { runFixtureSpecs } from './support/fixture-specs.js'
import { leftOf } from './support/observe.js'
import { runtimeFixture, uniqueProjectName } from './support/test-projects.js'

const chromium = browser()
// Under CI a missing browser is a failure (provisioning installs one), never a skip.
const noBrowser = chromium === undefined && process.env.CI !== 'true'

/** The marks the page's script drew in a service's row of the timeline, by kind. */
function marks(dom: string, service: string): string[] {
  const row = new RegExp(`<g class="row" data-service="${service}">(.*?)</g>`, 's').exec(dom)?.[1] ?? ''
  return [...row.matchAll(/data-kind="([^"]+)"/g)].map((m) => m[1]!)
}

describe.skipIf(!inject('engineReady') || noBrowser)('the report', () => {
  it('has a timeline page for each project and, for a failed test, a bundle a browser shows: errors, timeline, containers, configuration; secrets masked', async () => {
    expect(chromium, 'no Chromium: provisioning (npm test) installs one').toBeDefined()
    const dir = mkdtempSync(join(tmpdir(), 'report-'))
    const prefix = `${uniqueProjectName('reported')}-`
    const run = runFixtureSpecs('reported', { COMPOSE_HARNESS_REPORT: dir, REPORT_PREFIX: prefix })
    expect(run.report.testResults[0]!.assertionResults.map((r) => r.status)).toEqual(['passed', 'failed'])
    const pages = readdirSync(dir).sort()
    const failed = pages.filter((p) => p.startsWith('failed-'))
    const timelines = pages.filter((p) => p.startsWith(prefix))
    expect(failed).toHaveLength(1)
    expect(timelines).toHaveLength(2)
    expect(pages).toContain('index.html')
    const index = readFileSync(join(dir, 'index.html'), 'utf8')
    for (const page of [...failed, ...timelines]) expect(index).toContain(`href="${encodeURIComponent(page)}"`)

    const bundle = renderedDom(chromium!, join(dir, failed[0]!))
    expect(bundle).toMatch(/<h1>[^<]*fails after web was killed: failed \(project chtest-reported-/)
    expect(bundle).toMatch(/<pre class="error">AssertionError: expected 'web' to be 'up'/)
    // The chart, drawn by the page's own script: a row a service, the fault and the exit on web's.
    expect(marks(bundle, 'db')).toEqual(expect.arrayContaining(['created', 'started', 'check passed', 'healthy']))
    expect(marks(bundle, 'web')).toEqual(expect.arrayContaining(['started', 'fault', 'exited']))
    expect(marks(bundle, 'job')).toEqual(expect.arrayContaining(['started', 'exited']))
    expect(bundle).toMatch(/<td>web<\/td><td>[\w-]+-web-1<\/td><td>exited<\/td><td>code 137<\/td>/)
    // Each container: its state, health checks, logs; the configuration.
    expect(bundle).toMatch(/<h3>[\w-]+-web-1 <small>\(web: exited, exit code 137\)<\/small><\/h3>/)
    expect(bundle).toMatch(/<table class="health">.*<td>0<\/td>/s)
    expect(bundle).toMatch(/<pre class="logs">job done<\/pre>/)
    expect(bundle).toMatch(/<section id="config"><h2>Configuration<\/h2><pre>name: chtest-reported-/)
    expect(bundle).not.toContain('tok-3141592653')
    expect(bundle).toContain('API_TOKEN=****')

    const timeline = renderedDom(chromium!, join(dir, timelines[0]!))
    expect(marks(timeline, 'db')).toEqual(expect.arrayContaining(['started', 'healthy', 'removed']))
    expect(timeline).not.toContain('<section id="containers">')
    for (const page of timelines) expect(await leftOf(page.replace(/\.html$/, ''))).toEqual([])
  })

  it('has a page for an up that failed, with its error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-up-'))
    const name = uniqueProjectName('report-up')
    // A dependency that never gets healthy fails up whatever the machine's load (a service that
    // exits at once is caught only within 300 ms of its start).
    const failure = await runtimeFixture('unhealthy-dependency')
      .withProjectName(name)
      .up({ report: dir, timeoutMs: 10_000 })
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      )
    expect(failure).toBeInstanceOf(Error)
    const page = readFileSync(join(dir, `failed-up-${name}.html`), 'utf8')
    expect(page).toContain(`<h1>up of project ${name}: failed`)
    expect(page).toContain(failure!.message.split('\n')[0]!.replace(/"/g, '&quot;'))
    expect(await leftOf(name)).toEqual([])
  })
})
