import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { stateEvents, type ContainerBundle } from '../../../harness/report/container-bundle.js'
import { renderReport } from '../../../harness/report/render-report.js'
import { reportDirectory } from '../../../harness/report/report-directory.js'
import { Timeline } from '../../../harness/report/timeline.js'
import { pageName, writeReportPage } from '../../../harness/report/write-report.js'

const container: ContainerBundle = {
  name: 'p-db-1',
  service: 'db',
  state: 'exited',
  startedAt: '2026-12-03T10:00:00.000Z',
  finishedAt: '2026-12-03T10:00:05.000Z',
  exitCode: 137,
  oomKilled: true,
  inspect: { Config: { Env: ['DB_PASSWORD=hunter2'] } },
  logs: ['ready', '<b>bold</b>'],
  health: [{ start: '2026-12-03T10:00:01.000Z', exitCode: 1, output: 'no\n' }],
}

describe('the timeline', () => {
  it('records up’s progress and builds at the time they are heard, in time order', () => {
    let now = 100
    const timeline = new Timeline(() => now)
    timeline.converged({ service: 'db', container: 'p-db-1', action: 'created', ms: 5 })
    now = 50
    timeline.built({ service: 'db', kind: 'building' })
    timeline.converged({ service: 'db', container: 'p-db-1', action: 'waiting', ms: 0 })
    timeline.built({ service: 'db', kind: 'step', line: 'RUN true' })
    now = 70
    timeline.built({ service: 'db', kind: 'built', ms: 20 })
    expect(timeline.events).toEqual([
      { at: 50, service: 'db', kind: 'build' },
      { at: 70, service: 'db', kind: 'built', detail: '20 ms' },
      { at: 100, service: 'db', container: 'p-db-1', kind: 'created' },
    ])
  })

  it('reads a container’s start, health checks and exit from its state, at the engine’s times', () => {
    expect(stateEvents(container)).toEqual([
      { at: Date.parse('2026-12-03T10:00:00.000Z'), service: 'db', container: 'p-db-1', kind: 'started' },
      {
        at: Date.parse('2026-12-03T10:00:01.000Z'),
        service: 'db',
        container: 'p-db-1',
        kind: 'check failed',
        detail: 'exit 1: no\n',
      },
      {
        at: Date.parse('2026-12-03T10:00:05.000Z'),
        service: 'db',
        container: 'p-db-1',
        kind: 'exited',
        detail: 'code 137, killed: out of memory',
      },
    ])
    expect(
      stateEvents({
        ...container,
        startedAt: undefined,
        finishedAt: undefined,
        health: [],
      } as unknown as ContainerBundle),
    ).toEqual([])
  })
})

describe('a page of the report', () => {
  const page = renderReport({
    project: 'p',
    failure: { test: 'a <test>', errors: ['AssertionError: </script><script>alert(1)</script> hunter2'] },
    timeline: [
      { at: 1000, service: 'db', container: 'p-db-1', kind: 'started' },
      { at: 1250, service: 'db', container: 'p-db-1', kind: 'exited', detail: 'code 137' },
    ],
    config: 'services:\n  db:\n    environment:\n      DB_PASSWORD: hunter2\n',
    containers: [container],
    secrets: ['hunter2', ''],
  })

  it('escapes what it shows, and embeds the events so that no text ends its script early', () => {
    expect(page).toContain('<h1>a &lt;test&gt;: failed (project p)</h1>')
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)')
    expect(page).toContain('<pre class="logs">ready\n&lt;b&gt;bold&lt;/b&gt;</pre>')
    expect(page.match(/<script\b/g)).toHaveLength(2)
    const data = /<script type="application\/json" id="events">(.*?)<\/script>/s.exec(page)![1]!
    expect(JSON.parse(data)).toHaveLength(2)
  })

  it('lists the events from the first, and shows each container’s state and health checks', () => {
    expect(page).toContain(
      '<tr class="event" data-kind="started"><td>+0 ms</td><td>db</td><td>p-db-1</td><td>started</td><td></td></tr>',
    )
    expect(page).toContain('<td>+250 ms</td>')
    expect(page).toContain('<small>(db: exited, exit code 137, killed: out of memory)</small>')
    expect(page).toContain('<table class="health">')
  })

  it('masks every secret wherever it appears: errors, configuration, inspect', () => {
    expect(page).not.toContain('hunter2')
    expect(page).toContain('DB_PASSWORD: ****')
    expect(page).toContain('DB_PASSWORD=****')
  })

  it('is a timeline alone for a project that did not fail', () => {
    const plain = renderReport({ project: 'p', timeline: [] })
    expect(plain).toContain('<h1>project p</h1>')
    expect(plain).not.toMatch(/id="(failure|containers|config)"/)
  })
})

describe('the report’s files', () => {
  it('are named from their words, safely', () => {
    expect(pageName('failed', 'specs/a.spec.ts > does <x>', 'p-1')).toBe('failed-specs-a.spec.ts-does-x-p-1.html')
    expect(pageName('///')).toBe('report.html')
    expect(pageName('x'.repeat(300))).toHaveLength(125)
  })

  it('are written whole, with an index of every page', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'report-unit-')), 'made')
    writeReportPage(dir, 'b.html', '<p>b</p>')
    writeReportPage(dir, 'a&.html', '<p>a</p>')
    expect(readdirSync(dir).sort()).toEqual(['a&.html', 'b.html', 'index.html'])
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain(
      '<li><a href="a%26.html">a&amp;.html</a></li><li><a href="b.html">b.html</a></li>',
    )
  })

  it('go where the code says, else where COMPOSE_HARNESS_REPORT says, else nowhere', () => {
    expect(reportDirectory('given', { COMPOSE_HARNESS_REPORT: 'env' })).toBe('given')
    expect(reportDirectory(undefined, { COMPOSE_HARNESS_REPORT: 'env' })).toBe('env')
    expect(reportDirectory(undefined, { COMPOSE_HARNESS_REPORT: ' ' })).toBeUndefined()
    expect(reportDirectory(undefined, {})).toBeUndefined()
  })
})
