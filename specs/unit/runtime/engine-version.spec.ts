import { describe, expect, it } from 'vitest'
import { identityFromPing } from '../../../harness/runtime/engine/engine-version.js'

describe('identityFromPing', () => {
  it("reads Docker's API version from its ping's headers", () => {
    expect(identityFromPing({ 'api-version': '1.41', server: 'Docker/20.10.24+dfsg1 (linux)' })).toEqual({
      apiVersion: '1.41',
      podman: false,
    })
  })

  it('knows Podman by the libpod version only it sends', () => {
    expect(identityFromPing({ 'api-version': '1.41', 'libpod-api-version': '4.3.1' })).toEqual({
      apiVersion: '1.41',
      podman: true,
    })
  })

  it('gives nothing when the ping names no API version, so that /version is asked', () => {
    expect(identityFromPing({ server: 'Docker/1.12' })).toBeUndefined()
    expect(identityFromPing({ 'api-version': '' })).toBeUndefined()
  })
})
