import { describe, expect, it } from 'vitest'
import { menuLine, menuWanted } from '../../../harness/cli/navigation-menu.js'

const terminal = { stdin: { isTTY: true }, stdout: { isTTY: true } }

describe("up's menu (--menu), as Compose v2 decides it", () => {
  it('is shown on a terminal by default, and as --menu or COMPOSE_MENU say there', () => {
    expect(menuWanted(undefined, {}, {}, terminal)).toBe(true)
    expect(menuWanted(false, {}, {}, terminal)).toBe(false)
    expect(menuWanted(undefined, {}, { COMPOSE_MENU: 'false' }, terminal)).toBe(false)
    expect(menuWanted(true, {}, { COMPOSE_MENU: 'false' }, terminal)).toBe(true)
  })

  it('is never shown on a pipe, with its input not a terminal, or with plain progress', () => {
    expect(menuWanted(true, {}, {}, { ...terminal, stdout: { isTTY: false } })).toBe(false)
    expect(menuWanted(true, {}, {}, { ...terminal, stdin: {} })).toBe(false)
    expect(menuWanted(true, { progress: 'plain' }, {}, terminal)).toBe(false)
  })

  it("says what w does now, in v2's words", () => {
    expect([menuLine(false, false), menuLine(true, false)]).toEqual(['w Enable Watch', 'w Disable Watch'])
    expect(menuLine(false, true)).toBe('\x1b[1mw\x1b[0m\x1b[2m Enable Watch\x1b[0m')
  })
})
