import { describe, expect, it } from 'vitest'
import { ellipsis, humanDuration } from '../../../harness/cli/commands/human-units.js'
import { table } from '../../../harness/cli/commands/table.js'
import { topRows } from '../../../harness/cli/commands/top.js'
import { logTime } from '../../../harness/cli/commands/logs.js'
import { UsageError } from '../../../harness/cli/usage-error.js'

describe("the listings' pieces, as the docker CLI writes them", () => {
  it('say how long ago in go-units words', () => {
    expect(
      [0.4, 1, 59, 60, 120, 3599, 3600, 5400, 47 * 3600, 3 * 86400, 20 * 86400, 90 * 86400, 800 * 86400].map(
        humanDuration,
      ),
    ).toEqual([
      'Less than a second',
      '1 second',
      '59 seconds',
      'About a minute',
      '2 minutes',
      '59 minutes',
      'About an hour',
      '2 hours',
      '47 hours',
      '3 days',
      '2 weeks',
      '3 months',
      '2 years',
    ])
  })

  it('cut a command to 20 characters, the last an ellipsis', () => {
    expect(ellipsis('/usr/bin/tini -- python3 -u', 20)).toBe('/usr/bin/tini -- py…')
    expect(ellipsis('short', 20)).toBe('short')
  })

  it('pad columns to their widest cell and three spaces, or to a minimum width', () => {
    expect(
      table([
        ['A', 'B'],
        ['abc', 'x'],
      ]),
    ).toEqual(['A     B', 'abc   x'])
    expect(table([['NAME', 'IMAGE', 'PORTS']], 10)).toEqual(['NAME      IMAGE     PORTS'])
  })

  it('read --since and --until as the docker CLI does: a duration back, a Unix time, or a date', () => {
    const now = Date.parse('2026-12-03T06:00:00Z')
    expect(logTime('--since', '42m', now)).toBe(((now - 42 * 60_000) / 1000).toFixed(3))
    expect(logTime('--since', '1700000000', now)).toBe('1700000000')
    expect(logTime('--until', '2013-01-02T13:23:37Z', now)).toBe('1357133017.000')
    expect(() => logTime('--since', 'yesterday', now)).toThrow(UsageError)
  })
})

describe("top's table, as Compose 2.40 prints it", () => {
  it('puts SERVICE and # first and CMD last, the containers by name, and - where a container lacks a title', () => {
    const rows = topRows([
      { container: 'p-web-2', service: 'web', number: 2, titles: ['PID', 'CMD', 'USER'], processes: [['9', 'b', 'u']] },
      {
        container: 'p-db-1',
        service: 'db',
        number: 1,
        titles: ['PID', 'CMD'],
        processes: [
          ['7', 'a'],
          ['8', 'c'],
        ],
      },
    ])
    expect(rows).toEqual([
      ['SERVICE', '#', 'PID', 'USER', 'CMD'],
      ['db', '1', '7', '-', 'a'],
      ['db', '1', '8', '-', 'c'],
      ['web', '2', '9', 'u', 'b'],
    ])
    expect(table(rows, 4, 2)).toEqual([
      'SERVICE  #   PID  USER  CMD',
      'db       1   7    -     a',
      'db       1   8    -     c',
      'web      2   9    u     b',
    ])
  })

  it('is the header alone when nothing runs', () => {
    expect(topRows([])).toEqual([['SERVICE', '#']])
  })
})
