import { describe, expect, it } from 'vitest'
import { checkServiceNames, UnknownServiceError } from '../../../harness/model/project/service-selection.js'
import { loadInline } from '../support/load-inline.js'

const { project } = loadInline(
  'services:\n  web:\n    image: w\n  db:\n    image: d\n  debug:\n    image: x\n    profiles: [tools]\n',
)

describe('checkServiceNames', () => {
  it("accepts the project's services, and no names at all", () => {
    expect(() => checkServiceNames(project, ['web', 'db'])).not.toThrow()
    expect(() => checkServiceNames(project, undefined)).not.toThrow()
  })

  it('names a service the files do not have, with the ones they do', () => {
    expect(() => checkServiceNames(project, ['web', 'nosuch'])).toThrow(
      new UnknownServiceError(
        'nosuch',
        project.name,
        'no such service: nosuch (in compose.yml; the services are web, db)',
      ),
    )
  })

  it('tells a service of an inactive profile from an unknown one', () => {
    expect(() => checkServiceNames(project, ['debug'])).toThrow(
      'service "debug" is only in profiles that are not active: name it to the command that starts it, or activate one with --profile (withServicesEnabled() or withProfiles() in the API)',
    )
  })

  it("enables a service a command names whatever its profiles: its profiles turn on, and their other services with them, as Compose v2's do", () => {
    const text =
      'services:\n  web:\n    image: w\n  debug:\n    image: x\n    profiles: [tools]\n  lint:\n    image: l\n    profiles: [tools]\n' +
      '  docs:\n    image: d\n    profiles: [docs]\n'
    expect(Object.keys(loadInline(text).project.services)).toEqual(['web'])
    const named = loadInline(text, { enable: ['debug'] }).project
    expect(Object.keys(named.services)).toEqual(['web', 'debug', 'lint'])
    expect(named.disabled).toEqual(['docs'])
    // A name the files do not have, or one already enabled, turns nothing on.
    expect(Object.keys(loadInline(text, { enable: ['nosuch', 'web'] }).project.services)).toEqual(['web'])
    expect(Object.keys(loadInline(text, { profiles: ['docs'], enable: ['docs'] }).project.services)).toEqual([
      'web',
      'docs',
    ])
  })

  it('takes any name for a project known by its name alone: its services are what its containers carry', () => {
    const byName = { ...project, services: {}, byName: true as const }
    expect(() => checkServiceNames(byName, ['web', 'nosuch'])).not.toThrow()
    expect(() => checkServiceNames({ ...project, services: {} }, ['nosuch'])).toThrow(UnknownServiceError)
  })
})
