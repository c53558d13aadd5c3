import { describe, expect, it } from 'vitest'
import { formatFinding } from '../../../harness/conformance/findings.js'

describe('a failed build or up -d, as a finding says it', () => {
  it('names the side that failed with its message, or both with both messages', () => {
    expect(formatFinding({ kind: 'up', harness: 'refused', reference: undefined })).toBe(
      'up: the harness fails, Compose v2 brings it up. The harness says: refused',
    )
    expect(formatFinding({ kind: 'up', harness: undefined, reference: 'exit 1' })).toBe(
      'up: Compose v2 fails, the harness brings it up. Compose v2 says: exit 1',
    )
    expect(formatFinding({ kind: 'up', harness: 'a', reference: 'b' })).toBe(
      'up: both fail. The harness says: a; Compose v2 says: b',
    )
    expect(formatFinding({ kind: 'build', harness: 'a', reference: 'b' })).toBe(
      'build: both fail on an engine that should build it. The harness says: a; Compose v2 says: b',
    )
  })
})
