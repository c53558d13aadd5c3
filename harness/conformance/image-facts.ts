import type { ImageInspectInfo } from 'dockerode'
import type { TarEntry } from './tar-listing.js'

/** Labels whose values are each tool's own: present on both sides, compared by presence only. */
const TOOL_LABELS = new Set(['com.docker.compose.version'])

/**
 * What a built image is, in the terms both tools must agree on: its configuration (what a
 * container of it starts with), its other tags, and every file of its filesystem with type, mode,
 * owner and content, times aside. Everything that names the project is written `<project>`. Pure:
 * `compare-images.ts` feeds it a real inspection and listing.
 */
export function imageFacts(
  project: string,
  image: ImageInspectInfo,
  files: readonly TarEntry[],
  tags: readonly string[],
): Record<string, unknown> {
  const c = image.Config
  const neutral = (text: string) => text.split(project).join('<project>')
  const labels = Object.fromEntries(
    Object.entries(c.Labels ?? {}).map(([k, v]) => [k, TOOL_LABELS.has(k) ? '<tool version>' : neutral(v)]),
  )
  return {
    os: image.Os,
    architecture: image.Architecture,
    config: {
      env: c.Env,
      entrypoint: c.Entrypoint,
      cmd: c.Cmd,
      workingDir: c.WorkingDir,
      user: c.User,
      exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
      volumes: Object.keys(c.Volumes ?? {}).sort(),
      labels,
      stopSignal: (c as { StopSignal?: string }).StopSignal,
      healthcheck: (c as { Healthcheck?: unknown }).Healthcheck,
      onBuild: c.OnBuild,
      shell: (c as { Shell?: string[] }).Shell,
    },
    tags: tags.map(neutral).sort(),
    files: Object.fromEntries(
      [...files]
        // What the engine writes into every container it creates, whatever the image.
        .filter((f) => !engineMade(f.path))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .map((f) => [f.path, [f.type, f.mode, f.owner, f.content].filter((v) => v !== undefined).join(' ')]),
    ),
  }
}

/** Files a container gets from the engine, not from its image, which `docker export` lists with the image's. */
function engineMade(path: string): boolean {
  return (
    ['/.dockerenv', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf'].includes(path) ||
    /^\/(dev|proc|sys)(\/|$)/.test(path)
  )
}
