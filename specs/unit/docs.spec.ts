import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SERVICE_KEY_READING, type KeyReading } from '../../harness/model/project/service-keys.js'

/** The pages a reader of the repository follows: the front door, docs/, and every folder's README. */
function pages(): string[] {
  const harnessReadmes = readdirSync('harness', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('README.md'))
    .map((f) => join('harness', f))
  const docs = readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f))
  return ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...docs, ...harnessReadmes]
}

/** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces as dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

/** The anchors a markdown page has: one a heading. */
function anchorsOf(page: string): Set<string> {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)))
}

/** Every link of a page that stays in the repository: `[text](target)`, outside code blocks. */
function localLinks(page: string): string[] {
  const text = readFileSync(page, 'utf8').replace(/```[\s\S]*?```/g, '')
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t))
}

describe('the documentation', () => {
  it('has every link resolve: the file is there, and so is the heading it points at', () => {
    const broken = pages().flatMap((page) =>
      localLinks(page).flatMap((link) => {
        const [path, anchor] = link.split('#') as [string, string | undefined]
        const target = path === '' ? page : resolve(dirname(page), path)
        if (!existsSync(target)) return [`${page}: ${link} (no such file)`]
        if (anchor === undefined) return []
        if (!target.endsWith('.md')) return [`${page}: ${link} (an anchor into a file that is not markdown)`]
        return anchorsOf(target).has(anchor) ? [] : [`${page}: ${link} (no such heading)`]
      }),
    )
    expect(broken).toEqual([])
  })

  it('knows a broken link when it sees one', () => {
    expect(anchorOf('Proven on Docker 20.10, 26.1 and 28.5')).toBe('proven-on-docker-2010-261-and-285')
    expect(anchorOf('In a test (vitest)')).toBe('in-a-test-vitest')
    expect(anchorsOf('docs/conformance.md').has('where-the-harness-differs-on-purpose')).toBe(true)
    expect(anchorsOf('docs/conformance.md').has('no-such-heading')).toBe(false)
  })

  it('keeps the README to a front door: two screens at most', () => {
    const lines = readFileSync('README.md', 'utf8').split('\n')
    expect(lines.length).toBeLessThanOrEqual(100)
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(120)
  })

  it('lists in docs/compatibility.md every service key of the specification, with what `up` does as the code decides', () => {
    const page = readFileSync('docs/compatibility.md', 'utf8')
    const section = page.slice(page.indexOf('## Service keys'), page.indexOf('## Build keys'))
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()])
    const atUp: Record<KeyReading, string> = {
      typed: 'applied',
      host: 'applied',
      run: 'applied',
      limit: 'applied',
      kept: 'applied',
      watched: 'applied by `watch` and `up --watch`',
      unapplied: 'refused, naming why',
      resolved: 'resolved at load',
    }
    expect(rows).toEqual(Object.entries(SERVICE_KEY_READING).map(([key, reading]) => [key, atUp[reading]]))
  })
})
