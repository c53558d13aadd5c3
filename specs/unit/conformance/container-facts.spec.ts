import type { ContainerInspectInfo } from 'dockerode'
import { describe, expect, it } from 'vitest'
import { projectFacts } from '../../../harness/conformance/container-facts.js'

/** The least of an inspection that the facts read, with `host` as its host configuration. */
const container = (project: string, host: Record<string, unknown>): ContainerInspectInfo =>
  ({
    Id: 'a'.repeat(64),
    Name: `/${project}-app-1`,
    Config: { Labels: {}, Image: 'probe', Env: [] },
    HostConfig: host,
    Mounts: [],
    NetworkSettings: { Networks: {} },
  }) as unknown as ContainerInspectInfo

const asked = (project: string, host: Record<string, unknown>) =>
  (
    projectFacts(project, { containers: [container(project, host)], networks: [], volumes: [] }).containers[
      '<project>-app-1'
    ] as { asked: unknown }
  ).asked

describe('how a container’s mounts were asked, as the differential suite compares them', () => {
  it('lists its Binds sorted and its Mounts by target, named for no project, with the options the engine applies', () => {
    const facts = asked('one', {
      Binds: ['one_data:/d:rw', '/src:/src:ro'],
      Mounts: [
        { Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false, TmpfsOptions: { SizeBytes: 1024, Mode: 0o1777 } },
        { Type: 'volume', Source: 'one_data', Target: '/n', VolumeOptions: { NoCopy: true, Labels: { k: 'v' } } },
      ],
    })
    expect(facts).toEqual({
      binds: ['/src:/src:ro', '<project>_data:/d:rw'],
      mounts: [
        {
          target: '/n',
          type: 'volume',
          source: '<project>_data',
          readOnly: false,
          volume: { NoCopy: true, Labels: { k: 'v' } },
        },
        { target: '/t', type: 'tmpfs', readOnly: false, tmpfs: { SizeBytes: 1024, Mode: 0o1777 } },
      ],
    })
  })

  it('takes an option left empty, false or zero as none, however each tool writes it, and tells a set one apart', () => {
    const bare = { Type: 'bind', Source: '/src', Target: '/b', ReadOnly: false }
    const empty = { ...bare, BindOptions: { Propagation: '', CreateMountpoint: false }, VolumeOptions: {} }
    expect(asked('one', { Mounts: [empty] })).toEqual(asked('two', { Mounts: [bare] }))
    expect(asked('one', { Mounts: [{ ...bare, BindOptions: { CreateMountpoint: true } }] })).not.toEqual(
      asked('two', { Mounts: [bare] }),
    )
  })
})
