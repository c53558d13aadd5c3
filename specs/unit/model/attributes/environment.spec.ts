import { describe, expect, it } from 'vitest'
import { webProblems, webService } from '../../support/load-inline.js'

describe('environment, env_file and labels', () => {
  it('read a list or a mapping the same way', () => {
    expect(webService('environment: [A=1, "B=two words", C=]').environment).toEqual({ A: '1', B: 'two words', C: '' })
    expect(webService('environment: {A: 1, B: true, C: ""}').environment).toEqual({ A: '1', B: 'true', C: '' })
  })

  it('take a variable without a value from the environment, or drop it', () => {
    expect(webService('environment: [FROM_SHELL, MISSING]', { env: { FROM_SHELL: 'yes' } }).environment).toEqual({
      FROM_SHELL: 'yes',
    })
    expect(webService('environment: {FROM_SHELL: null}', { env: { FROM_SHELL: 'yes' } }).environment).toEqual({
      FROM_SHELL: 'yes',
    })
  })

  it('give a label without a value an empty one', () => {
    expect(webService('labels: [com.example.flag, "com.example.team=core"]').labels).toEqual({
      'com.example.flag': '',
      'com.example.team': 'core',
    })
  })

  it('read env_file files in order, environment winning over them', () => {
    const files = { '/project/a.env': 'A=from-a\nB=from-a\n', '/project/b.env': 'B=from-b\nC=from-b\n' }
    expect(webService('env_file: [a.env, b.env]\nenvironment: {C: own}', { files }).environment).toEqual({
      A: 'from-a',
      B: 'from-b',
      C: 'own',
    })
  })

  it('skip a missing env_file marked required: false and report a missing required one', () => {
    expect(webService('env_file: [{path: none.env, required: false}]').environment).toEqual({})
    expect(webProblems('env_file: none.env')).toEqual([
      'compose.yml:4:5 services.web.env_file: env file /project/none.env not found',
    ])
  })

  it('report a malformed env_file line with the file and line', () => {
    expect(webProblems('env_file: [bad.env]', { files: { '/project/bad.env': 'OK=1\nnot a line\n' } })).toEqual([
      'compose.yml:4:16 services.web.env_file[0]: /project/bad.env:2: a key cannot contain a space: "not a line"',
    ])
  })

  it('refuse a nested value', () => {
    expect(webProblems('environment: {A: [1]}')).toEqual([
      'compose.yml:4:19 services.web.environment.A: expected a string, number or boolean, got a list',
    ])
  })
})
