import { describe, expect, it } from 'vitest'
import { loadInline, problemsOf, webProblems, webService } from '../../support/load-inline.js'

describe('healthcheck', () => {
  it('reads a string test as a shell command and durations in milliseconds', () => {
    expect(
      webService(
        'healthcheck:\n  test: curl -f http://localhost\n  interval: 1m30s\n  timeout: 500ms\n  retries: 3\n  start_period: 2s',
      ).healthcheck,
    ).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost'],
      intervalMs: 90_000,
      timeoutMs: 500,
      retries: 3,
      startPeriodMs: 2000,
    })
  })

  it('keeps the CMD, CMD-SHELL and NONE forms, and turns disable into NONE (remembering it was written so)', () => {
    expect(webService('healthcheck: {test: [CMD, pg_isready, -q]}').healthcheck).toEqual({
      test: ['CMD', 'pg_isready', '-q'],
    })
    expect(webService('healthcheck: {test: [CMD-SHELL, "exit 0"]}').healthcheck).toEqual({
      test: ['CMD-SHELL', 'exit 0'],
    })
    expect(webService('healthcheck: {test: [NONE]}').healthcheck).toEqual({ test: ['NONE'] })
    expect(webService('healthcheck: {disable: true}').healthcheck).toEqual({ test: ['NONE'], disable: true })
  })

  it('reports an invalid test and invalid durations', () => {
    expect(webProblems('healthcheck: {test: [RUN, x], interval: 10, timeout: 5x}')).toEqual([
      'compose.yml:4:19 services.web.healthcheck.test: expected a string, ["CMD", args…], ["CMD-SHELL", "script"] or ["NONE"], got a list',
      'compose.yml:4:35 services.web.healthcheck.interval: expected a duration such as "10s", "1m30s" or "500ms", got a number (10)',
      'compose.yml:4:49 services.web.healthcheck.timeout: expected a duration such as "10s", "1m30s" or "500ms", got a string ("5x")',
    ])
  })
})

describe('restart, stop and replicas', () => {
  it('reads restart policies and refuses others', () => {
    expect(webService('restart: "on-failure:3"').restart).toBe('on-failure:3')
    expect(webService('restart: "no"').restart).toBe('no')
    expect(webProblems('restart: sometimes')).toEqual([
      'compose.yml:4:5 services.web.restart: expected no, always, on-failure[:max-retries] or unless-stopped, got a string ("sometimes")',
    ])
  })

  it('reads stop_signal and stop_grace_period', () => {
    expect(webService('stop_signal: SIGINT\nstop_grace_period: 1m')).toMatchObject({
      stopSignal: 'SIGINT',
      stopGracePeriodMs: 60_000,
    })
  })

  it('takes replicas from scale or deploy.replicas, which must agree', () => {
    expect(webService('scale: 3').replicas).toBe(3)
    expect(webService('deploy: {replicas: 2}').replicas).toBe(2)
    expect(webProblems('scale: 3\ndeploy: {replicas: 2}')).toEqual([
      'compose.yml:4:5 services.web.scale: is 3 but deploy.replicas is 2: set one, or the same number in both',
    ])
  })

  it('refuses a container_name with more than one replica, and one used twice', () => {
    expect(webProblems('container_name: app\nscale: 2')).toEqual([
      'compose.yml:4:5 services.web.container_name: cannot be used with 2 replicas: container names must be unique',
    ])
    expect(
      problemsOf(
        'services:\n  a:\n    image: i\n    container_name: same\n  b:\n    image: i\n    container_name: same\n',
      ),
    ).toEqual(['compose.yml:7:5 services.b.container_name: "same" is already the container name of service "a"'])
  })
})

describe('profiles', () => {
  const text = 'services:\n  web:\n    image: w\n  debug:\n    image: d\n    profiles: [debug, tools]\n'

  it('leave out services whose profiles are all inactive', () => {
    expect(Object.keys(loadInline(text).project.services)).toEqual(['web'])
    expect(loadInline(text).project.disabled).toEqual(['debug'])
    expect(Object.keys(loadInline(text, { profiles: ['tools'] }).project.services)).toEqual(['web', 'debug'])
    expect(Object.keys(loadInline(text, { env: { COMPOSE_PROFILES: 'x,debug' } }).project.services)).toEqual([
      'web',
      'debug',
    ])
    expect(Object.keys(loadInline(text, { profiles: ['*'] }).project.services)).toEqual(['web', 'debug'])
  })

  it('report a dependency on a disabled service, and take any string as a profile name, as Compose v2 does', () => {
    expect(problemsOf(`${text.replace('image: w\n', 'image: w\n    depends_on: [debug]\n')}`)).toEqual([
      'compose.yml:4:18 services.web.depends_on.debug: service "debug" is not enabled: none of its profiles is active',
    ])
    expect(webService('profiles: ["debug tools"]', { profiles: ['debug tools'] }).profiles).toEqual(['debug tools'])
  })
})
