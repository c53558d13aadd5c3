import type { Finding } from './findings.js'

/**
 * The differences from Compose v2 that the harness makes on purpose, or has not closed yet. Every
 * other difference the conformance suite or `compose-harness compare` finds is a defect. The
 * table of docs/conformance.md lists the same entries, by id (a spec keeps the two in step).
 */
export interface Divergence {
  readonly id: string
  /** What the harness does differently. */
  readonly what: string
  readonly why: string
  /** How to get Compose v2's behaviour, where there is a way. */
  readonly option?: string
  readonly covers: (finding: Finding) => boolean
}

export const DIVERGENCES: readonly Divergence[] = [
  {
    id: 'published-ports-on-loopback',
    what: 'With an engine on this machine, a published port whose address the file does not give is bound to 127.0.0.1; Compose v2 binds it on every interface (as the harness does with an engine elsewhere).',
    why: 'A test stack should not be reachable from the network the machine is on.',
    option: 'Write the address in the file (`"0.0.0.0:8080:80"`), or set `COMPOSE_HARNESS_PUBLISH_ADDRESS=0.0.0.0`.',
    covers: (f) =>
      f.kind === 'container' &&
      /\.portBindings\.[^.]+\[\d+\]\.HostIp$/.test(f.path) &&
      f.harness === '127.0.0.1' &&
      f.reference === '',
  },
  {
    id: 'testcontainers-labels',
    what: 'Containers also carry the labels Testcontainers gives its containers (`org.testcontainers`, `.lang`, `.version`).',
    why: 'They are Testcontainers containers: tools that look for those find them.',
    covers: (f) =>
      f.kind === 'container' &&
      /\.labels\.org\.testcontainers(\.lang|\.version)?$/.test(f.path) &&
      f.reference === undefined,
  },
  {
    id: 'anonymous-volumes-removed',
    what: 'An anonymous volume (`- /data`) is removed with its container: when the container is recreated (a new one comes with the new container) and by `down`. Compose v2 hands it on to the new container, and keeps it after `down` (with or without `-v`, once it is detached).',
    why: 'A test run leaves no unnamed volume behind; data that must outlive a container belongs in a named volume.',
    option: 'Use a named volume.',
    covers: (f) => f.kind === 'lifecycle' && f.resource.startsWith('anonymous volume of '),
  },
  {
    id: 'volumes-from-read-only',
    what: "`volumes_from: [SERVICE:ro]` mounts that service's volumes read-only; Compose 2.26 drops the `:ro` and mounts them writable.",
    why: 'The file asks for read-only mounts, as the Compose Specification defines `ro`: writable ones would let a test pass that a tool honouring it fails.',
    option: 'Leave out `:ro`.',
    covers: (f) =>
      f.kind === 'container' &&
      ((/\.mounts\[\d+\]\.rw$/.test(f.path) && f.harness === false && f.reference === true) ||
        (/\.volumesFrom\[\d+\]$/.test(f.path) && f.harness === `${String(f.reference)}:ro`)),
  },
  {
    id: 'newer-specification',
    what: 'A service’s `pre_start` hooks, which the Compose Specification defines and Compose 2.40 refuses, load; `up` runs them as the specification describes.',
    why: 'A file written for a newer Compose loads, and `config` shows it; every other key of the specification is compared with Compose 2.40 itself.',
    covers: (f) =>
      f.kind === 'validity' &&
      f.harness === undefined &&
      f.reference !== undefined &&
      /additional properties 'pre_start' not allowed/.test(f.reference),
  },
  {
    id: 'reference-json-omits-models',
    what: 'Top-level `models` are in `config --format json`; Compose 2.40 leaves them out of its JSON (its YAML prints them).',
    why: 'A defect of the reference’s JSON output, not of the files: both print the same YAML.',
    covers: (f) => f.kind === 'model' && /^models(\.|$)/.test(f.path) && f.reference === undefined,
  },
  {
    id: 'refused-at-load',
    what: 'A value the engine cannot take (an unknown restart policy, a relative mount target, a port that is not a number, a negative number of CPUs, a blkio weight outside 10 to 1000) is refused by `config`; Compose v2 loads it and fails at `up`.',
    why: 'The mistake is named with its file, line and key before anything starts.',
    covers: (f) =>
      f.kind === 'validity' &&
      f.reference === undefined &&
      f.harness !== undefined &&
      f.harness
        .split('\n')
        .every((line) =>
          /services\.[^.]+\.(restart: expected|volumes\[\d+\]: invalid volume .*: the target must be an absolute path|expose\[\d+\]: expected a container port|(deploy\.resources\.limits\.)?cpus: expected a number of CPUs|blkio_config\.(weight|weight_device\[\d+\]\.weight): expected a whole number (of at least|from) 10)/.test(
            line,
          ),
        ),
  },
  {
    id: 'reference-cannot-print-build-ssh',
    what: 'Files with a `build.ssh` key path (`id=./key`) load; Compose 2.40 loads them too but cannot print them as JSON (`config --format json` fails), so they cannot be compared.',
    why: 'A defect of the reference, not of the files.',
    covers: (f) =>
      f.kind === 'validity' && f.harness === undefined && /MarshalJSON for type types\.SSHKey/.test(f.reference ?? ''),
  },
  {
    id: 'alias-across-documents',
    what: 'In a file of several documents (`---` between them), an alias of an anchor written in an earlier document is refused as an unknown alias, naming its line; Compose 2.40 resolves it.',
    why: 'YAML scopes an anchor to its document; a file that relies on Compose’s YAML reader carrying it over is read otherwise by every other YAML tool.',
    option: 'Write the anchor again in the document that uses it, or use `extends` or `include`.',
    covers: (f) =>
      f.kind === 'validity' &&
      f.reference === undefined &&
      f.harness !== undefined &&
      /invalid YAML: (unidentified alias|Unresolved alias)/.test(f.harness),
  },
  {
    id: 'no-interpolate-hides-env-secret',
    what: '`config --no-interpolate` prints a secret an included file takes from its `env_file` (`environment: NAME`) as written; Compose 2.40 adds the secret’s value beside it, as `x-#value`.',
    why: 'A secret’s value is never printed.',
    covers: (f) => f.kind === 'model' && /^secrets\.[^.]+\.x-#value$/.test(f.path) && f.harness === undefined,
  },
  {
    id: 'build-ssh-printed-loadable',
    what: "`config` prints a `build.ssh` key with a path as the files write it, `id=/abs/key`; Compose 2.40’s YAML prints `'id: /abs/key'`, which read again is a key of that name and no path.",
    why: 'What `config` prints must load back as the same project.',
    // Such files are not compared (the entry above); the printed text is this entry's alone.
    covers: () => false,
  },
  {
    id: 'events-until-ends-well',
    what: '`events --until T` ends with exit code 0 at T; Compose 2.40 prints `EOF` and exits 1 there.',
    why: 'Reaching the time asked for is success: a script can tell it from a failure.',
    // The events are compared as they are; the exit code is checked apart in the listings spec.
    covers: () => false,
  },
  {
    id: 'down-removes-what-no-service-uses',
    what: '`down` removes every network (and, with `-v`, every named volume) labelled with the project, those no service uses included (made by `--all-resources up`); Compose 2.40 removes only those its services use unless `down` is given `--all-resources` too.',
    why: 'Nothing of the project outlives its `down`: a network or volume the harness made for it is never left behind.',
    option: 'Give `--all-resources` to `down` as well: both tools then remove the same.',
    covers: (f) =>
      f.kind === 'lifecycle' &&
      /\bdown\b/.test(f.step) &&
      /^(network|volume) /.test(f.resource) &&
      f.harness === 'removed' &&
      f.reference === 'kept',
  },
  {
    id: 'down-fails-on-what-outlives-it',
    what: 'A whole-project `down` fails (exit 1) when a network or named volume of the project cannot be removed because something not of the project still uses it (a container of the user’s attached to the network, say), naming what holds it and how to free it; Compose 2.40 says `Resource is still in use` and exits 0. `down SERVICE` says it as v2 does, since it leaves what is still used by design.',
    why: 'Nothing of the project outlives its `down` unless the user is told: a CI gate or a test’s teardown that goes on would leave the network behind without a failure to show it.',
    option: 'Disconnect or remove the container that holds it, then run `down` again.',
    // The refusal and its words are checked apart (specs/containers/runtime/remove.spec.ts); no conformance case attaches a container of its own.
    covers: () => false,
  },
  {
    id: 'dry-run-build-over-tls',
    what: 'A dry run’s build (`--dry-run build`, `--dry-run up --build`) on an engine served over TLS shows the steps it would take, as on any engine; Compose 2.40 fails there with `Error response from daemon: Client sent an HTTP request to an HTTPS server.`',
    why: 'A defect of the reference: its dry run’s build client talks plain HTTP to the engine, whose TLS its real builds take.',
    // buildkit.spec.ts shows it on the engine matrix’s Docker 28.5, served over TLS.
    covers: () => false,
  },
  {
    id: 'down-service-keeps-what-stopped-containers-need',
    what: '`down SERVICE` leaves a project network that a container still there names, stopped or not; Compose 2.40 removes every project network no running container is on, and the stopped containers on it can no longer start (`network … not found`).',
    why: 'Taking one service down never breaks the others: `stop`, then `down web`, then `start` brings the rest back.',
    option: 'Take the whole project down (`down`), or remove the stopped containers first (`rm -f`).',
    // lifecycle.spec.ts shows it apart: v2 removes the network, and its `start` then fails.
    covers: () => false,
  },
  {
    id: 'down-removes-every-profile',
    what: '`down` removes the containers of services whose profiles are not active (one that `up tool` or `run tool` started by naming it); Compose 2.40 leaves them, with or without `--remove-orphans`, unless `down` is given their profile (`--profile tools down`).',
    why: 'Nothing of the project outlives its `down`, whatever profiles the command that started it named.',
    option: 'Keep the container with `down SERVICE…` naming the others, or `stop`.',
    // cli-actions.spec.ts shows it (a service named runs whatever its profiles); the lifecycle cases have no profiles.
    covers: () => false,
  },
  {
    id: 'pull-policy-checked',
    what: '`pull --policy P` takes the values of `pull_policy` (`missing`, `always`, `never`, `build`, `if_not_present`) and refuses any other; Compose 2.40 takes any value and pulls.',
    why: 'A misspelt policy is a mistake to be told of, not a pull of every image.',
    // The refusal is checked apart, in the CLI specs.
    covers: () => false,
  },
  {
    id: 'failed-up-of-a-test-removed',
    what: 'A failed `up` of the API (`Compose.up()`, the vitest fixture) removes what it created, and so does the reaper of a foreground `up` of the CLI once it ends; the CLI’s `up -d` and `create` keep it, as Compose v2 keeps what a failed `up` made.',
    why: 'A failing test leaves nothing behind, and says why it failed (the service, the phase, the last log lines) before its containers go.',
    option: 'Use the CLI’s `up -d`, then `ps -a` and `logs`.',
    // Not a difference of files or of the CLI: no finding shows it.
    covers: () => false,
  },
  {
    id: 'dry-run-recreated-container-named',
    what: 'Under `--dry-run`, a container that `up` recreates is shown starting under its own name (`p-web-1`); Compose v2’s dry run shows it under the temporary name the real run renames (`1a2b3c4d5e6f_p-web-1`), a rename its dry run leaves out.',
    why: 'A dry run shows what the real command does: the container that starts is `p-web-1`.',
    covers: (f) =>
      f.kind === 'dry-run' &&
      /--force-recreate/.test(f.command) &&
      /^Container \S+ (Starting|Started)$/.test(f.line) &&
      (f.harness === 0) === /^Container [0-9a-f]{12}_/.test(f.line),
  },
  {
    id: 'dry-run-network-removed',
    what: 'Under `--dry-run`, `down` shows the project’s network removed; Compose v2’s dry run shows it `Resource is still in use`: it asks the engine, where the containers it only pretended to remove are still connected.',
    why: 'A dry run shows what the real command does, and the real `down` removes the network.',
    covers: (f) =>
      f.kind === 'dry-run' &&
      /\bdown\b/.test(f.command) &&
      /^Network \S+ (Removed|Resource is still in use)$/.test(f.line) &&
      (f.harness === 0) === f.line.endsWith('in use'),
  },
  {
    id: 'dry-run-pull-not-resolved',
    what: 'Under `--dry-run`, `pull` (and the pulls of `up`) shows each image pulled without asking its registry; Compose v2’s dry run resolves each reference at its registry first, and warns when it cannot.',
    why: 'A dry run touches nothing outside the machine: the registry is asked when the pull is real.',
    // No registry answers in the suite: no finding shows it.
    covers: () => false,
  },
  {
    id: 'pause-what-applies',
    what: '`pause` and `unpause` act on the containers they apply to (running ones not paused; paused ones); Compose v2 asks the engine for every running container and fails on one already in that state (`Error response from daemon: Container … is not paused`, exit 1).',
    why: 'A project partly paused (a service paused by a test, say) is paused or unpaused whole, as asked, as the API’s faults do it, rather than refused.',
    covers: (f) =>
      f.kind === 'command' &&
      /^(un)?pause\b/.test(f.command) &&
      f.harness.code === 0 &&
      f.reference.code === 1 &&
      f.reference.stderr.some((l) => /Container \S+ is (not|already) paused/.test(l)),
  },
  {
    id: 'attestation-value-read',
    what: '`build --provenance VALUE` and `--sbom VALUE` (and `provenance`/`sbom` under `build`, which `build` reads) are taken as buildx takes them: `false` turns the attestation off, `mode=max` gives a full provenance. Compose 2.40 swaps the kind and the value it hands buildx (`type=mode=max,provenance`), so that on an engine with containerd’s image store the attestation is on, in its default mode, whatever the value.',
    why: 'A defect of the reference: the flag’s documented values are what a user means. Where the engine’s own builder keeps no attestations, both refuse any value alike.',
    option:
      'To get what Compose 2.40 gives, leave the value out of the comparison: `--provenance=true`, which both take alike.',
    // containerd-store.spec.ts shows it on an engine the matrix does not run.
    covers: () => false,
  },
  {
    id: 'classic-builder-dockerfile-inline',
    what: 'Under `DOCKER_BUILDKIT=0` the classic builder builds a service’s `dockerfile_inline`; Compose 2.40 leaves it aside and builds the context’s `Dockerfile` instead (or fails where there is none).',
    why: 'A defect of the reference: the file says which Dockerfile to build, and BuildKit’s builds of both tools build it.',
    option: 'Write the Dockerfile into the context and name it in `dockerfile`, which both take alike.',
    // buildkit.spec.ts shows it; the differential suites build with BuildKit.
    covers: () => false,
  },
  {
    id: 'no-provenance-record-step',
    what: 'A build’s progress has no `[app] resolving provenance for metadata file` step. Compose 2.40’s buildx adds it after each build on an engine with BuildKit’s history API (Docker 24 on), fetching the build’s provenance record for a metadata file that Compose does not write.',
    why: 'Compose writes no metadata file: the harness does not fetch a record nobody reads, and shows no step for it.',
    // buildkit.spec.ts leaves the step out of v2's output where the engines of the matrix show it.
    covers: () => false,
  },
  {
    id: 'build-api-step-details',
    what: 'A build that needs nothing of BuildKit’s control API goes through the engine’s build API, as `docker build` sends it, where Compose 2.40’s buildx always uses the control API. From Docker 24 on, two lines of its progress then differ: the exporter names the image with its tag (`naming to docker.io/library/app:latest`), and under `--no-cache` the base image’s step shows `DONE` where v2’s shows `CACHED`.',
    why: 'The build API is the engine’s own way to build, and the faster one for a plain build; the image is the same either way (the build conformance suite compares them).',
    // buildkit.spec.ts leaves the two out of its comparison on the engines of the matrix.
    covers: () => false,
  },
  {
    id: 'not-running-says-why',
    what: '`exec`, `attach`, `port`, `commit` and `export` of a service whose containers are all stopped say, after Compose v2’s `service "web" is not running`, which container it is, how it ended and the command that starts it.',
    why: 'What became of the container is what the user needs to know next; the words before it are v2’s, for a script that matches them.',
    covers: (f) =>
      f.kind === 'command' &&
      f.harness.code === 1 &&
      f.reference.code === 1 &&
      f.reference.stderr.length === 1 &&
      /^service "[^"]+" is not running( container #\d+)?$/.test(f.reference.stderr[0]!) &&
      f.harness.stderr.length === 1 &&
      f.harness.stderr[0]!.startsWith(`${f.reference.stderr[0]!} (`),
  },
  {
    id: 'unknown-service-says-which',
    what: 'A command that names a service the files do not define says, after Compose v2’s `no such service: nosuch`, the files it read and the services they define.',
    why: 'A misspelt name is told from a missing file at a glance; the words before it are v2’s, for a script that matches them.',
    covers: (f) =>
      f.kind === 'command' &&
      f.harness.code === f.reference.code &&
      f.reference.stderr.length === 1 &&
      /^no such service: \S+$/.test(f.reference.stderr[0]!) &&
      f.harness.stderr.length === 1 &&
      f.harness.stderr[0]!.startsWith(`${f.reference.stderr[0]!} (in `),
  },
  {
    id: 'warnings-as-warn-lines',
    what: 'Warnings go to standard error as `WARN …` lines in the harness’s words, the file first where a file is the cause (``WARN /p/compose.yml: `version` is obsolete and ignored``); Compose 2.40 writes them through its logger in its own, `time="…" level=warning msg="…"` (`WARN[0000] …` on a terminal).',
    why: 'One line a warning, read by a person, starting with the file to look at; a script tells them from errors by their first word. The conformance suites compare whether each tool warned, not the words.',
    covers: (f) => {
      if (f.kind !== 'command' || f.harness.code !== f.reference.code) return false
      if (f.harness.stdout.join('\n') !== f.reference.stdout.join('\n')) return false
      const [ours, theirs] = [f.harness.stderr, f.reference.stderr]
      const oursLeft = ours.filter((l) => !l.startsWith('WARN '))
      const theirsLeft = theirs.filter((l) => !/\blevel=warning\b|^WARN\[\d+\]/.test(l))
      const warned = oursLeft.length < ours.length && theirsLeft.length < theirs.length
      return warned && oursLeft.join('\n') === theirsLeft.join('\n')
    },
  },
  {
    id: 'port-unpublished-refused',
    what: '`port SERVICE PORT` of a port the container exposes but does not publish fails, naming the container and the port; Compose v2 prints `:0` and exits 0 (and for a port it does not expose, lists the published ports as `0/tcp`).',
    why: '`:0` is no address a script can connect to: failing, with the reason, is what the script can act on.',
    // The suite's projects publish what they expose: no finding shows it.
    covers: () => false,
  },
  {
    id: 'publish-version-annotation',
    what: "The layers `publish` pushes carry the harness's own version in `com.docker.compose.version` (`0.1.0`); Compose v2's carry its version (`2.40.3`).",
    why: 'The annotation says which tool published the artifact; claiming a Compose version the harness is not would mislead whoever reads it. Compose v2 reads the artifact all the same (the publish spec checks it).',
    // The publish spec leaves the annotation out of its comparison, by name.
    covers: () => false,
  },
  {
    id: 'publish-no-secret-scan',
    what: "Before publishing, Compose v2 scans the compose files, env files and the secrets' and configs' files for what looks like a credential (a library of detectors) and asks before publishing what it found; the harness does not scan.",
    why: 'Those detectors are a library of their own, whose findings the harness could not promise to match; the harness asks about what v2 asks about by rule (bind mounts, variables), and `-y` skips both alike.',
    option: 'Keep credentials out of the files you publish; publish with `--with-env` only what may be read.',
    covers: () => false,
  },
  {
    id: 'no-path-resolution-reads-env-files',
    what: '`config --no-path-resolution` reads a relative `env_file` from the project directory, and prints the paths as written; Compose 2.40 reads it from the directory it runs in, and fails (`env file vars.env not found`) when that is another.',
    why: 'The flag is about the paths printed; the variables are the same wherever the command runs from.',
    option: 'Run Compose v2 from the project directory: both tools then print the same.',
    // Compose v2's words when it looks for a relative env file where it runs.
    covers: (f) =>
      f.kind === 'validity' &&
      f.harness === undefined &&
      /^env file [^/]\S* not found: stat [^/]/.test(f.reference ?? ''),
  },
  {
    id: 'no-path-resolution-marks-paths',
    what: '`config --no-path-resolution` prints the source of a bind mount that another file (`extends`, `include`) writes in the short syntax from the project directory with a leading `./` (`./parts/content`); Compose 2.40 prints `parts/content`.',
    why: 'Read again, `parts/content:/srv` is a volume named `parts/content`, not a path: the document printed must mean what the files meant.',
    covers: (f) =>
      f.kind === 'model' &&
      /\.volumes\[\d+\]\.source$/.test(f.path) &&
      typeof f.reference === 'string' &&
      f.harness === `./${f.reference}`,
  },
  {
    id: 'dependency-failure-at-once',
    what: '`up` fails as soon as a required dependency of a service fails its `depends_on` condition, with that failure, while the service’s other dependencies are still being waited for. Compose 2.40 reports the failed one (`Container p-db-1  Error`) and goes on waiting until each of the others has met or failed its condition, then fails with the same error (`dependency failed to start: container p-db-1 is unhealthy`).',
    why: 'The outcome is decided once one required dependency has failed: the service will not start. A test should not wait a slow dependency out (up to its timeout) to be told so.',
    // startup-conditions.spec.ts shows it (fixtures/runtime/failing-beside-waiting); the differential suites compare what each up leaves, not when it fails.
    covers: () => false,
  },
  {
    id: 'no-normalize-default-network',
    what: '`config --no-normalize` prints a service that names the `default` network, with no top-level `default` network written; Compose 2.40 refuses it (`refers to undefined network default`), as the network it would have added is not added.',
    why: 'The files are valid: `up` runs them with both tools, and printing them without normalization should not fail.',
    covers: (f) =>
      f.kind === 'validity' &&
      f.harness === undefined &&
      /refers to undefined network default: invalid compose project/.test(f.reference ?? ''),
  },
  {
    id: 'refused-beyond-engine',
    what: 'On an engine whose API is older than a setting needs, `up` refuses the file before anything is created, naming the setting, where it is written and the engine version that applies it: annotations (Docker 24), a MAC address per network (25), `bind.recursive: writable` or `readonly` (25), a volume’s `subpath` (26), a gateway priority (28). Compose 2.40 sends them, and the engine ignores them without a word; but a single network’s MAC address it gives the container there instead, and a health check’s `start_interval`, an interface name, an image mount and MAC addresses on several networks it refuses there itself, as the harness does.',
    why: 'A test would pass against containers that lack what the file asks for, and fail on the engine that applies it.',
    option: 'Run on an engine with that API, or leave the setting out of the files it runs with.',
    covers: (f) =>
      f.kind === 'up' &&
      f.reference === undefined &&
      /needs engine API [\d.]+ \(Docker [\d.]+\); this engine speaks [\d.]+ and would ignore it/.test(f.harness ?? ''),
  },
]

/** The divergence that explains a finding, if any. */
export function divergenceOf(finding: Finding): Divergence | undefined {
  return DIVERGENCES.find((d) => d.covers(finding))
}
