import type { Engine } from './engine.js'
import { networkLabels, networkName } from './labels.js'

/** Creates the project's default network unless it exists; says whether this call created it. */
export async function ensureNetwork(engine: Engine, project: string): Promise<{ name: string; created: boolean }> {
  const name = networkName(project)
  const existing = await engine.container.dockerode.listNetworks({ filters: { name: [name] } })
  if (existing.some((n) => n.Name === name)) return { name, created: false }
  await engine.network.create({ Name: name, CheckDuplicate: true, Driver: 'bridge', Labels: networkLabels(project) })
  return { name, created: true }
}
