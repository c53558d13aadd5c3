import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A file name made of `words`: letters, digits, dots and dashes, at most 120 characters. */
export function pageName(...words: string[]): string {
  const name = words
    .join('-')
    .replace(/[^\w.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120)
  return `${name || 'report'}.html`
}

/**
 * Writes a page of the report into `dir` (made if missing), whole or not at all, and the index of
 * every page there, which several processes may write at once: each writes the whole listing.
 */
export function writeReportPage(dir: string, name: string, html: string): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, name)
  writeAtOnce(path, html)
  const pages = readdirSync(dir)
    .filter((f) => f.endsWith('.html') && f !== 'index.html')
    .sort()
  const links = pages.map(
    (p) => `<li><a href="${encodeURIComponent(p)}">${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</a></li>`,
  )
  writeAtOnce(
    join(dir, 'index.html'),
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>compose-harness report</title></head>\n<body><h1>compose-harness report</h1><ul>${links.join('')}</ul></body></html>\n`,
  )
  return path
}

function writeAtOnce(path: string, text: string): void {
  const partial = `${path}.${process.pid}.partial`
  writeFileSync(partial, text)
  renameSync(partial, path)
}
