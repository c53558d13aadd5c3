import { describe, expect, it } from 'vitest'
import { isTemplate, renderTemplate } from '../../../harness/cli/go-template.js'

const rows = [
  { Name: 'p-web-1', Service: 'web', State: 'running', Labels: { b: '2', a: '1' }, Networks: ['front', 'back'] },
  { Name: 'p-db-1', Service: 'db', State: 'exited', Labels: {}, Networks: ['back'] },
]
const headers = { Name: 'NAME', Service: 'SERVICE', State: 'STATE' }
const render = (format: string) => renderTemplate(format, { rows, headers })

describe('--format templates (Go text/template, the docker CLI functions)', () => {
  it('tells a template from the words table and json', () => {
    expect([isTemplate(undefined), isTemplate('table'), isTemplate('json'), isTemplate('{{.Name}}')]).toEqual([
      false,
      false,
      false,
      true,
    ])
  })

  it('prints each row through the template, \\t a tab', () => {
    expect(render('{{.Name}}\\t{{.State}}')).toEqual(['p-web-1\trunning', 'p-db-1\texited'])
  })

  it('table: the headers, then the rows, aligned as the docker CLI aligns them (at least 10 wide, 3 apart)', () => {
    expect(render('table {{.Service}}\\t{{.Name}}')).toEqual([
      'SERVICE   NAME',
      'web       p-web-1',
      'db        p-db-1',
    ])
  })

  it('has json, join, upper, lower, title, truncate, pad and println', () => {
    expect(render('{{json .Labels}}')[0]).toBe('{"b":"2","a":"1"}')
    expect(render('{{join .Networks ","}}')[0]).toBe('front,back')
    expect(render('{{upper .Service}} {{title .State}} {{truncate .Name 3}}|{{pad .Service 1 2}}|')[0]).toBe(
      'WEB Running p-w| web  |',
    )
    expect(render('{{.Service | upper}}')[1]).toBe('DB')
  })

  it('prints a value as Go does: a list in brackets, a map sorted, the whole row with json .', () => {
    expect(render('{{.Networks}} {{.Labels}}')[0]).toBe('[front back] map[a:1 b:2]')
    expect(JSON.parse(render('{{json .}}')[1]!)).toEqual(rows[1])
  })

  it('trims the space beside {{- and -}}', () => {
    expect(render('a   {{- .Service -}}   b')[0]).toBe('awebb')
  })

  it('refuses a field the rows do not have and a function it does not know, as Go says it', () => {
    expect(() => render('{{.Nope}}')).toThrow(/can't evaluate field Nope/)
    expect(() => render('{{shout .Name}}')).toThrow(/function "shout" not defined/)
    expect(() => render('{{.Name')).toThrow(/unclosed action/)
  })
})
