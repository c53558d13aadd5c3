import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

// The CI setups the README documents (GitHub Actions, GitLab CI with docker:dind) are files of this
// repository: well-formed, running the README's own commands, and sharding the suite so that each
// spec file runs in exactly one shard.

interface GitHubWorkflow {
  on: Record<string, unknown>
  jobs: Record<
    string,
    {
      'runs-on': string
      strategy: { matrix: { shard: number[] } }
      steps: { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown> }[]
    }
  >
}

interface GitLabJob {
  image: string
  services: { name: string; alias: string }[]
  variables: Record<string, string>
  parallel: number | { matrix: Record<string, string[]>[] }
  script: string[]
}

const github = parse(readFileSync('.github/workflows/test.yml', 'utf8')) as GitHubWorkflow
const gitlab = parse(readFileSync('.gitlab-ci.yml', 'utf8')) as Record<string, GitLabJob>

/** The shell commands the README and its page on engines and CI show in their code blocks. */
const readmeCommands = ['README.md', 'docs/engines-and-ci.md']
  .flatMap((page) => [...readFileSync(page, 'utf8').matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)])
  .flatMap(([, block]) => block!.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()))

/** `total` shards of the suite run every spec file once: none twice, none left out. */
function expectPartition(total: number): void {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'specs/support/shard-files.ts', String(total)], {
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST'))),
  })
  const found = JSON.parse(out) as string[][]
  const all = found.pop()!
  expect(found).toHaveLength(total)
  for (const files of found) expect(files.length).toBeGreaterThan(0)
  expect(found.flat().sort()).toEqual(all)
  expect(all.length).toBeGreaterThan(total)
}

describe('the CI setups', () => {
  it('GitHub Actions: a matrix of shards 1…n, each running npm ci and the README’s npm test with its shard', () => {
    expect(Object.keys(github.on)).toEqual(expect.arrayContaining(['push', 'pull_request']))
    const job = github.jobs.test!
    const shards = job.strategy.matrix.shard
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1))
    expect(shards.length).toBeGreaterThan(1)
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']
    expect(Number(node)).toBeGreaterThanOrEqual(20)
    const runs = job.steps.flatMap((s) => (s.run ? [s.run] : []))
    expect(runs).toEqual(['npm ci', 'npm test -- --shard=${{ matrix.shard }}/${{ strategy.job-total }}'])
    expect(job.steps.find((s) => s.run?.startsWith('npm test'))?.env?.CI).toBe(true)
    for (const run of runs) expect(readmeCommands).toContain(run)
    expectPartition(shards.length)
  }, 60_000)

  it('GitLab CI: parallel jobs, each with docker:dind as host `docker` over plain TCP, running the README’s commands', () => {
    const job = gitlab.test!
    if (typeof job.parallel !== 'number') throw new Error('the test job must run a number of parallel shards')
    expect(job.parallel).toBeGreaterThan(1)
    const dind = job.services.find((s) => s.name.startsWith('docker:') && s.name.endsWith('dind'))
    expect(dind?.alias).toBe('docker')
    expect(job.variables.DOCKER_HOST).toBe(`tcp://${dind!.alias}:2375`)
    expect(job.variables.DOCKER_TLS_CERTDIR).toBe('')
    expect(job.image).toMatch(/^node:(2\d)/)
    expect(job.script).toEqual(['npm ci', 'npm test -- --shard=${CI_NODE_INDEX}/${CI_NODE_TOTAL}'])
    for (const command of job.script) expect(readmeCommands).toContain(command)
    expectPartition(job.parallel)
  }, 60_000)

  it('both lint, check the format and type-check as .ci/run does, in a job of their own', () => {
    const ci = readFileSync('.ci/run', 'utf8')
    expect(ci).toMatch(/^npm run lint$/m)
    expect(JSON.parse(readFileSync('package.json', 'utf8')).scripts.test).toContain('npm run typecheck')
    const lint = ['npm ci', 'npm run lint', 'npm run typecheck']
    expect(github.jobs.lint!.steps.flatMap((s) => (s.run ? [s.run] : []))).toEqual(lint)
    expect(gitlab.lint!.script).toEqual(lint)
  })

  it.each([
    ['soak', 'the long runs'],
    ['conformance', 'the differential suites'],
  ])('both run test:%s (%s) as the README does, in a job of their own', (name) => {
    const command = `npm run test:${name}`
    const runs = github.jobs[name]!.steps.flatMap((s) => (s.run ? [s.run] : []))
    expect(runs).toEqual(['npm ci', command])
    expect(github.jobs[name]!.steps.find((s) => s.run === command)?.env?.CI).toBe(true)
    expect(gitlab[name]!.script).toEqual(['npm ci', command])
    expect(gitlab[name]!.variables.DOCKER_HOST).toBe('tcp://docker:2375')
    expect(readFileSync('.ci/run', 'utf8')).toMatch(new RegExp(`^${command}$`, 'm'))
    for (const line of [...runs, ...gitlab[name]!.script]) expect(readmeCommands).toContain(line)
  })

  it('both run the engine matrix as the README does: GitHub in one job, GitLab a job an engine with its docker:VERSION-dind', () => {
    const githubJob = github.jobs.engines!
    const runs = githubJob.steps.flatMap((s) => (s.run ? [s.run] : []))
    expect(runs).toEqual(['npm ci', 'npm run test:engines'])
    expect(githubJob.steps.find((s) => s.run === 'npm run test:engines')?.env?.CI).toBe(true)
    const gitlabJob = gitlab.engines!
    expect(gitlabJob.services).toEqual([{ name: 'docker:${ENGINE}-dind', alias: 'docker' }])
    expect(gitlabJob.variables.DOCKER_HOST).toBe('tcp://docker:2375')
    const versions =
      typeof gitlabJob.parallel === 'number' ? [] : gitlabJob.parallel.matrix.flatMap((m) => m.ENGINE ?? [])
    expect(versions).toEqual(['20.10', '26.1', '28.5'])
    expect(gitlabJob.script).toEqual(['npm ci', 'npm run test:engines -- here'])
    for (const command of [...runs, ...gitlabJob.script]) expect(readmeCommands).toContain(command)
  })
})
