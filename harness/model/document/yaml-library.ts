import { createRequire } from 'node:module'
import type * as Yaml from 'yaml'

let loaded: typeof Yaml | undefined

/**
 * The `yaml` library, loaded on first use: js-yaml reads the files, and `yaml` (about 45 ms to
 * load) is needed only to place a problem on its line or to write a document out.
 */
export function yamlLibrary(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml)
}
