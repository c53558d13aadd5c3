import { describe, expect, it } from 'vitest'
import { eventJson, eventLine } from '../../../harness/cli/commands/events.js'
import { projectEvent } from '../../../harness/runtime/project/project-events.js'

const raw = {
  Type: 'container',
  Action: 'start',
  timeNano: '1764754500123456789',
  Actor: {
    ID: 'abc123',
    Attributes: {
      'com.docker.compose.project': 'p',
      'com.docker.compose.service': 'web',
      'com.docker.compose.oneoff': 'False',
      name: 'p-web-1',
      image: 'nginx',
    },
  },
}

describe('events, as Compose v2 picks and prints them', () => {
  it("keeps the project's containers' events, without one-offs, other services or Compose's labels", () => {
    const event = projectEvent(raw)!
    expect(event).toMatchObject({ service: 'web', id: 'abc123', action: 'start' })
    expect(event.attributes).toEqual({ name: 'p-web-1', image: 'nginx' })
    expect(projectEvent(raw, ['db'])).toBeUndefined()
    expect(projectEvent({ ...raw, Type: 'network' })).toBeUndefined()
    const oneOff = { ...raw.Actor, Attributes: { ...raw.Actor.Attributes, 'com.docker.compose.oneoff': 'True' } }
    expect(projectEvent({ ...raw, Actor: oneOff })).toBeUndefined()
  })

  it('writes --json with its fields sorted and the time to the nanosecond', () => {
    expect(eventJson(projectEvent(raw)!)).toBe(
      '{"action":"start","attributes":{"image":"nginx","name":"p-web-1"},"id":"abc123","service":"web","time":"2025-12-03T09:35:00.123456789Z","type":"container"}',
    )
  })

  it('writes a line with the time to the microsecond, then an empty one', () => {
    const line = eventLine(projectEvent(raw)!)
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.123456 container start abc123 \(name=p-web-1, image=nginx\)\n$/,
    )
  })
})
