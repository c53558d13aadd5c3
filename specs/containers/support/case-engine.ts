import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { older } from '../../../harness/runtime/create/engine-limits.js'
import { connectEngine } from '../../../harness/runtime/engine/engine.js'

/**
 * Whether this engine has what a conformance case needs: its case.json's `api`, the engine API
 * below which both tools refuse or fail it. A case with none runs everywhere.
 */
export async function caseRunsHere(dir: string): Promise<boolean> {
  const file = join(dir, 'case.json')
  const needs = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { api?: string }).api : undefined
  if (needs === undefined) return true
  const { ApiVersion } = await (await connectEngine()).container.dockerode.version()
  return !older(ApiVersion, needs)
}
