import { describe, expect, it } from 'vitest'
import { impliedDependencies } from '../../../harness/model/project/graph.js'
import { loadInline } from '../support/load-inline.js'

describe('how a service is brought up (run-fields.ts)', () => {
  it('reads hooks, pull policy, platform, attach and deploy.restart_policy into the model', () => {
    const { project } = loadInline(
      `services:
  app:
    image: app
    platform: linux/amd64
    pull_policy: if_not_present
    attach: "false"
    post_start:
      - command: sh -c 'echo "$$HOME"'
        user: root
        privileged: true
        working_dir: /tmp
        environment: [A=1, FROM_HERE]
    pre_stop:
      - command: [echo, bye]
    deploy:
      restart_policy: {condition: on-failure, max_attempts: 3, delay: 5s}
  worker:
    image: app
    deploy:
      restart_policy: {}
`,
      { env: { FROM_HERE: 'here' } },
    )
    expect(project.services.app!.run).toEqual({
      platform: 'linux/amd64',
      pullPolicy: 'if_not_present',
      attach: false,
      postStart: [
        {
          command: ['sh', '-c', 'echo "$HOME"'],
          user: 'root',
          privileged: true,
          workingDir: '/tmp',
          environment: { A: '1', FROM_HERE: 'here' },
        },
      ],
      preStop: [{ command: ['echo', 'bye'], environment: {} }],
      deployRestart: 'on-failure:3',
    })
    // Swarm's default condition is any: always.
    expect(project.services.worker!.run.deployRestart).toBe('always')
  })

  it('makes ipc and pid in their service: form dependencies that restart with the service, as links do', () => {
    const { project } = loadInline(`services:
  a:
    image: app
    ipc: service:b
    pid: service:c
  b: {image: app, ipc: shareable}
  c: {image: app}
`)
    const a = project.services.a!
    expect(a.dependsOn).toEqual({
      b: { condition: 'service_started', required: true, restart: true },
      c: { condition: 'service_started', required: true, restart: true },
    })
    expect(impliedDependencies({ links: [], volumesFrom: [], host: { ipc: 'host' } })).toEqual({})
  })

  it('takes an empty value (an unset variable) for no value, as Compose v2 does', () => {
    const { project } = loadInline(`services:
  app:
    build: .
    image: \${UNSET_IMAGE}
    platform: \${UNSET_PLATFORM}
    user: ""
    ipc: ""
`)
    const app = project.services.app!
    expect(app.image).toBe('project-app')
    expect(app.run.platform).toBeUndefined()
    expect(app.user).toBeUndefined()
    expect(app.host.ipc).toBeUndefined()
    expect(app.declared).not.toContain('platform')
  })

  it('reads label_file into the labels, which win over it', () => {
    const { project } = loadInline(
      `services:
  app:
    image: app
    label_file: [./a.labels, ./b.labels]
    labels: {team: core}
`,
      { files: { '/project/a.labels': 'team=ops\ntier=back\n', '/project/b.labels': 'tier=front\n' } },
    )
    expect(project.services.app!.labels).toEqual({ team: 'core', tier: 'front' })
  })

  it('warns of the unset variables of the files that include and extends name, as of the project’s own', () => {
    const { project } = loadInline(
      `include: [inc.yml]
services:
  app:
    extends: {file: base.yml, service: base}
`,
      {
        files: {
          '/project/inc.yml': 'services:\n  inc:\n    image: x\n    command: echo ${INC_UNSET}\n',
          '/project/base.yml': 'services:\n  base:\n    image: ${BASE_UNSET:-x}\n    user: ${USER_UNSET}\n',
        },
      },
    )
    expect(project.warnings).toEqual([
      '/project/inc.yml:4: the "INC_UNSET" variable is not set. Defaulting to a blank string.',
      '/project/base.yml:4: the "USER_UNSET" variable is not set. Defaulting to a blank string.',
    ])
  })
})
