import type { AloneCommand, Command } from './commands/command.js'
import type { OptionTable } from './options.js'

/** A command as it is loaded, when it runs: what it does, and every option it reads. */
export interface LoadedCommand<C> {
  readonly run: C
  readonly options: OptionTable
}

interface Entry {
  /** Its line in the list of commands (`compose-harness --help`). */
  readonly summary: string
  /** What `compose-harness COMMAND --help` prints. */
  readonly help: string
}

/**
 * A command that works on a project: the one its files describe (`files`); or, with no compose file
 * and a project name (`-p`, COMPOSE_PROJECT_NAME), also the one the engine has under that name, found
 * by its labels, as Compose v2's do (`files-or-name`, v2's `projectOrName`); or always the one the
 * engine has under the project's name, the files read only for that name when neither `-p` nor
 * COMPOSE_PROJECT_NAME gives it (`name`, v2's `toProjectName`).
 */
export interface ProjectCommandEntry extends Entry {
  readonly project: 'files' | 'files-or-name' | 'name'
  readonly load: () => Promise<LoadedCommand<Command>>
}

/** A command that needs no project (`ls`, `version`, and `compare`, which reads the files itself). */
export interface AloneCommandEntry extends Entry {
  readonly project: 'none'
  readonly load: () => Promise<LoadedCommand<AloneCommand>>
}

export type CommandEntry = ProjectCommandEntry | AloneCommandEntry

/**
 * Every command of the CLI, by its name on the command line: its help, and its code, loaded only
 * when it runs (`--help` reads nothing else). `specs/unit/cli/registry.spec.ts` checks that each
 * has help that names every option it reads.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  up: {
    summary: "create and start the project's containers",
    project: 'files',
    load: async () => {
      const m = await import('./commands/up.js')
      return { run: m.up, options: m.UP_OPTIONS }
    },
    help: `Usage: compose-harness up [OPTIONS] [SERVICE...]

Builds missing images, creates the project's networks and volumes, then starts each service as
soon as the services it depends on meet their depends_on conditions (started, healthy, completed
successfully). A container whose configuration and image are unchanged is kept (started if it is
not running); a changed one is recreated, and so is every container that depends on it, as in
Compose v2. With SERVICE names, starts those and what they depend on. In the foreground, streams
the output of every container (of those named, with SERVICE names) as 'service-1  | line' until
they all exit; Ctrl+C stops them gracefully, a second Ctrl+C kills them.

  -d, --detach          start and return, leaving the containers running
      --build           build every image that has a build section, even if present
      --no-build        build nothing; images must exist
      --force-recreate  recreate containers even if nothing changed
      --no-recreate     keep existing containers even if their configuration changed (theirs and
                        their dependencies')
      --always-recreate-deps
                        with SERVICE names: recreate the services they depend on, changed or not
  -V, --renew-anon-volumes
                        recreate the containers, each with new anonymous volumes (the harness
                        never hands the old ones on)
      --no-deps         with SERVICE names: not the services they depend on
      --remove-orphans  remove containers of services no longer in the files (default:
                        COMPOSE_REMOVE_ORPHANS)
      --scale SVC=N     run N containers of SVC (repeatable)
      --wait            return only once every service with a healthcheck is healthy
      --wait-timeout N  seconds each wait may take (for a dependency's condition, and with --wait), 120 by default
      --attach SVC      in the foreground, stream only SVC's output and end with its containers (repeatable)
      --no-attach SVC   in the foreground, do not stream SVC's output nor wait for it (repeatable)
      --attach-dependencies
                        with SERVICE names: stream the output of what they depend on too
      --abort-on-container-exit
                        end the foreground run when any container exits, stopping the others;
                        the exit code is that container's
      --abort-on-container-failure
                        the same, when a container exits with a code other than 0
      --exit-code-from SVC  the same, with SVC's exit code as this command's (a test gate)
      --timestamps      in the foreground, show each line after the time it was written
      --no-color        in the foreground, no colours in the prefixes
      --no-log-prefix   in the foreground, the lines without their container's name
      --menu            in the foreground on a terminal, shortcuts at the foot (w: start or stop
                        the develop.watch rules); the default there unless COMPOSE_MENU says no
                        (--menu=false: none)
  -y, --yes             accepted: up never asks
      --no-start        create the containers (and networks and volumes) without starting them
      --pull POLICY     pull images always, missing (default), never, or build them (over each pull_policy)
      --quiet-build     do not show the builds' steps
      --quiet-pull      accepted: pulls show no progress
  -w, --watch           in the foreground, also run the develop.watch rules, as 'watch' does
      --down-on-exit    (compose-harness) when the foreground run ends, remove the project as 'down' does
  -t, --timeout N       seconds to wait for a container to stop before killing it`,
  },
  down: {
    summary: "stop and remove the project's containers and networks",
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/down.js')
      return { run: m.down, options: m.DOWN_OPTIONS }
    },
    help: `Usage: compose-harness down [-v] [-t SECONDS] [--rmi local|all] [SERVICE...]

Stops and removes the project's containers, dependents first, then its networks. Works from the
containers' labels, so it also removes what another process or the Compose CLI started (orphans
included). With SERVICE, removes only that service's containers; the networks and volumes stay.

  -v, --volumes       also remove the project's named volumes
      --rmi local|all also remove the images the containers ran: local, only those built under the
                      project's name (<project>-<service>); all, every one
      --remove-orphans  accepted for compatibility: down always removes every container of the project
  -t, --timeout N     seconds to wait for a container to stop before killing it (its stop_grace_period, else 10)`,
  },
  stop: {
    summary: 'stop containers, keeping them',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/stop.js')
      return { run: m.stop, options: m.STOP_OPTIONS }
    },
    help: `Usage: compose-harness stop [-t SECONDS] [SERVICE...]

Stops the project's containers (or those of SERVICE), dependents first, keeping them.

  -t, --timeout N     seconds to wait for a container to stop before killing it (its stop_grace_period, else 10)`,
  },
  start: {
    summary: 'start stopped containers',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/start.js')
      return { run: m.start, options: m.START_OPTIONS }
    },
    help: `Usage: compose-harness start [SERVICE...]

Starts the project's stopped containers (or those of SERVICE), each after what it depends on.`,
  },
  restart: {
    summary: 'restart containers (and their restart: true dependents)',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/stop.js')
      return { run: m.restart, options: m.RESTART_OPTIONS }
    },
    help: `Usage: compose-harness restart [-t SECONDS] [--no-deps] [SERVICE...]

Restarts the project's containers (or those of SERVICE, with every service that depends on one of
them with restart: true, links included), each after what it depends on, as Compose v2 does.
Stopped containers are started.

  -t, --timeout N     seconds to wait for a container to stop before killing it (its stop_grace_period, else 10)
      --no-deps       restart only the services named, not those that depend on them`,
  },
  kill: {
    summary: 'send a signal (SIGKILL by default) to running containers',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/signal.js')
      return { run: m.kill, options: m.KILL_OPTIONS }
    },
    help: `Usage: compose-harness kill [-s SIGNAL] [--remove-orphans] [SERVICE...]

Sends SIGNAL (SIGKILL by default) to the project's running containers (or those of SERVICE), all
at once, as 'docker compose kill' does.

  -s, --signal SIGNAL   the signal to send, such as SIGTERM or SIGUSR1
      --remove-orphans  also to containers of services no longer in the files (it removes nothing,
                        as in Compose v2; default: COMPOSE_REMOVE_ORPHANS)`,
  },
  pause: {
    summary: 'pause running containers',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/signal.js')
      return { run: m.pause, options: m.PAUSE_OPTIONS }
    },
    help: `Usage: compose-harness pause [SERVICE...]

Pauses the project's running containers (or those of SERVICE): their processes are frozen until unpause.`,
  },
  unpause: {
    summary: 'unpause paused containers',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/signal.js')
      return { run: m.unpause, options: m.PAUSE_OPTIONS }
    },
    help: `Usage: compose-harness unpause [SERVICE...]

Unpauses the project's paused containers (or those of SERVICE).`,
  },
  ps: {
    summary: "list the project's containers",
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/ps.js')
      return { run: m.ps, options: m.PS_OPTIONS }
    },
    help: `Usage: compose-harness ps [OPTIONS] [SERVICE...]

Lists the project's running containers (or those of SERVICE) with their image, command, service,
creation, status and ports, as Compose v2 does.

  -a, --all           also the stopped containers
  -q, --quiet         only their IDs
      --services      only their services' names
      --status S      only those in state S (created, restarting, running, removing, paused, exited, dead); repeatable
      --filter F      status=S, as --status
      --orphans=false leave out containers of services the files no longer have
      --no-trunc      the command uncut (and full IDs in JSON)
      --format F      table (default), json (one JSON object a container, as Compose v2 prints) or a
                      Go template: '{{.Name}} {{.State}}', 'table {{.Service}}\t{{.Status}}', '{{json .}}'`,
  },
  logs: {
    summary: "show (or follow) the containers' output",
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/logs.js')
      return { run: m.logs, options: m.LOGS_OPTIONS }
    },
    help: `Usage: compose-harness logs [OPTIONS] [SERVICE...]

Prints the output of the project's containers (or those of SERVICE), each line prefixed as
'service-1  | line'.

  -f, --follow        follow new output until Ctrl+C
  -n, --tail N        start from the last N lines
  -t, --timestamps    show each line after the time it was written
      --no-color      no colours in the prefixes
      --no-log-prefix the lines without their container's name
      --since T       only lines written since T: a duration back from now (42m), a Unix time or a date (2013-01-02T13:23:37Z)
      --until T       only lines written before T, as --since reads it
      --index N       only the service's container number N`,
  },
  exec: {
    summary: "run a command in a service's container",
    project: 'name',
    load: async () => {
      const m = await import('./commands/exec.js')
      return { run: m.exec, options: m.EXEC_OPTIONS }
    },
    help: `Usage: compose-harness exec [OPTIONS] SERVICE COMMAND [ARGS...]

Runs COMMAND in a container of SERVICE, streams its output, gives it this command's input, and
exits with its exit code. No terminal is allocated (as 'docker compose exec -T').

Options:
  -e, --env KEY[=VALUE] set an environment variable (repeatable; KEY alone takes its value here)
  -u, --user USER       run as USER (name or uid[:gid])
  -w, --workdir DIR     run in DIR
      --index N         the service's container number N (default: its lowest running one)
  -d, --detach          start the command and return at once, without its output
      --privileged      give the command extended privileges
  -T, --no-tty          accepted for compatibility: no terminal is ever allocated
  -i, --interactive     accepted for compatibility: the input is always attached`,
  },
  run: {
    summary: 'run a one-off container of a service',
    project: 'files',
    load: async () => {
      const m = await import('./commands/run.js')
      return { run: m.run, options: m.RUN_OPTIONS }
    },
    help: `Usage: compose-harness run [OPTIONS] SERVICE [COMMAND] [ARGS...]

Runs a one-off container of SERVICE, as Compose v2 does: the services it depends on are brought up
first (as by 'up -d') and waited for by their depends_on conditions; the one-off container is
named PROJECT-SERVICE-run-ID, labelled as a one-off, has no restart policy, publishes no port
unless asked, and is known on its networks by its own name only. Its output is streamed as it comes
and this command's input is its input; Ctrl+C is passed on to it; the exit code is the command's.
If this process dies, its reaper removes the one-off container (what it depends on stays). 'down'
removes one-off containers with the rest of the project.

  -d, --detach            start it, print its ID and return
      --rm                remove it once it has exited (kept, stopped, otherwise, as in Compose)
  -e, --env KEY[=VALUE]   set a variable (KEY alone: its value here); repeatable
      --env-from-file FILE
                          set the variables of FILE (as a .env file is read) that -e does not; repeatable
      --cap-add CAP       add a Linux capability; repeatable
      --cap-drop CAP      drop a Linux capability; repeatable
  -u, --user USER         run as USER
  -w, --workdir DIR       run in DIR
      --entrypoint CMD    over the service's entrypoint (split as a shell would)
      --name NAME         the container's name
  -l, --label KEY=VALUE   add a label; repeatable
  -p, --publish PORT      publish a port ("8080:80"); repeatable
      --service-ports     publish the service's ports as its file does
      --use-aliases       be known by the service's name and aliases on its networks too
      --no-deps           do not bring up the services it depends on
      --build             build its image first, even if present
      --pull POLICY       always, missing (default), never or build
      --quiet-pull        accepted, changing nothing
      --quiet-build       do not show the build's steps
  -q, --quiet             show no progress (the command's output is shown, as in Compose v2)
      --remove-orphans    accepted and ignored: orphans stay ('up --remove-orphans' removes them)
  -v, --volume VOLUME     refused: give the volume in the service's volumes
  -T, --no-TTY            accepted: no terminal is allocated
  -i, --interactive       accepted: the input is always attached`,
  },
  cp: {
    summary: "copy files between a service's container and this machine",
    project: 'name',
    load: async () => {
      const m = await import('./commands/cp.js')
      return { run: m.cp, options: m.CP_OPTIONS }
    },
    help: `Usage: compose-harness cp [--index N] SERVICE:SRC_PATH DEST_PATH|-
       compose-harness cp [--index N] [--all] SRC_PATH|- SERVICE:DEST_PATH

Copies a file or directory between a service's container and this machine, as 'docker compose
cp' does: into the destination when it is a directory (or, in the container, ends with /), else
to that name. '-' is a tar archive on standard output (copying out) or input (copying in). Copies
out of the service's lowest-numbered container, and into every container of the service.

      --index N    the service's container number N only
      --all        copying in: into the service's one-off containers of 'run' too
  -a, --archive        accepted: ownership is kept as the archive gives it
  -L, --follow-link    accepted: links are copied as links`,
  },
  create: {
    summary: "create the project's containers without starting them",
    project: 'files',
    load: async () => {
      const m = await import('./commands/up.js')
      return { run: m.create, options: m.CREATE_OPTIONS }
    },
    help: `Usage: compose-harness create [OPTIONS] [SERVICE...]

Creates the project's networks, volumes and containers without starting them, as 'up --no-start'
does: images are built or pulled as 'up' would, a changed container is recreated (stopped), and
nothing is waited for. 'start' or 'up' starts them.

      --build           build every image that has a build section, even if present
      --no-build        build nothing; images must exist
      --force-recreate  recreate containers even if nothing changed
      --no-recreate     keep existing containers even if their configuration changed
      --remove-orphans  remove containers of services no longer in the files
      --scale SVC=N     N containers of SVC (repeatable)
      --pull POLICY     always, missing (default), never or build
      --quiet-pull      accepted: pulls show no progress
  -y, --yes             accepted: create never asks`,
  },
  port: {
    summary: "print where a service's container port is published",
    project: 'name',
    load: async () => {
      const m = await import('./commands/port.js')
      return { run: m.port, options: m.PORT_OPTIONS }
    },
    help: `Usage: compose-harness port [--index N] [--protocol tcp|udp] SERVICE PRIVATE_PORT

Prints the host address and port on which a container port of SERVICE is published, such as
127.0.0.1:49153, as 'docker compose port' does.

      --index N       the service's container number N (default: its lowest running one)
      --protocol P    tcp (default) or udp`,
  },
  config: {
    summary: 'print the merged, normalized compose model',
    project: 'files',
    load: async () => {
      const m = await import('./commands/config.js')
      return { run: m.config, options: m.CONFIG_OPTIONS }
    },
    help: `Usage: compose-harness config [OPTIONS]

Prints the merged, interpolated, normalized compose model, like 'docker compose config'. When the
input is invalid, prints every problem found, each with its file, line, column and key, and exits 1.

  -q, --quiet         only check the files: print nothing but problems and warnings
      --services      print only the service names (of the enabled profiles), each after what it depends on
      --images        print only the services' images
      --volumes       print only the top-level volumes' names, sorted
      --networks      print only the networks' names, sorted
      --profiles      print only the profiles the services name, active or not, sorted
      --hash S        print "SERVICE HASH" for the services named (comma-separated, or * for all),
                      Compose v2's config hash, as 'docker compose config --hash' prints it
      --variables     print the variables the files use, with their defaults: a table (--format json or yaml)
      --models        print only the model of each model a service uses
      --environment   print every variable the files see, NAME=value, sorted
      --format F      yaml (default) or json
  -o, --output FILE   write the document to FILE instead
      --no-consistency
                      do not check what services refer to, nor that container names are unique
      --no-env-resolution
                      accepted: as in Compose 2.40, the env files are merged all the same
      --no-path-resolution
                      print paths (build contexts, bind mounts, env files, secrets' files) as written
      --no-normalize  print the model without what normalization adds (the default network, names
                      from keys, a default dockerfile, depends_on that links imply)
      --no-interpolate
                      print the model with every \${VAR} as written (keys sorted, as Compose v2)
      --resolve-image-digests
                      pin each service's image to the digest its registry has for it now
      --lock-image-digests
                      print only each service's pinned image: an override file`,
  },
  build: {
    summary: 'build the images of services that have a build section',
    project: 'files',
    load: async () => {
      const m = await import('./commands/build.js')
      return { run: m.build, options: m.BUILD_OPTIONS }
    },
    help: `Usage: compose-harness build [OPTIONS] [SERVICE...]

Builds the images of the services that have a build section (of those named, when given); built
images stay as a cache.

      --no-cache            build every step again
      --pull                pull newer base images first (needs a registry)
      --build-arg KEY=VALUE  over the file's build.args; repeat for several
      --with-dependencies   with SERVICE names: also the images of what they depend on
      --ssh default|ID=PATH  an ssh agent for every build, after each one's build.ssh (paths from
                            the current directory)
      --push                then push the images that services name, as 'push' does
  -q, --quiet               show no build steps
  -m, --memory BYTES        the build container's memory limit: only the classic builder applies it
                            (with BuildKit, a warning says it is ignored, as in Compose v2)
      --print               print the bake file Compose v2 would hand buildx, and build nothing
      --builder NAME        the builder: only the engine's own, "default" (default: BUILDX_BUILDER)
      --provenance, --sbom  attestations (true, false, or attributes such as mode=max): kept on
                            containerd's image store, refused elsewhere as Compose v2's are
      --check               accepted: the build runs, as Compose 2.40 runs it without buildx`,
  },
  images: {
    summary: "list the images the project's containers run",
    project: 'name',
    load: async () => {
      const m = await import('./commands/images.js')
      return { run: m.images, options: m.IMAGES_OPTIONS }
    },
    help: `Usage: compose-harness images [-q] [--format table|json] [SERVICE...]

Lists the image each container of the project runs: its repository, tag, platform, ID, size and
when it was last tagged.

  -q, --quiet         only the images' IDs, each once
      --format F      table (default) or json (one array)`,
  },
  attach: {
    summary: "attach this terminal's input and output to a service's running container",
    project: 'name',
    load: async () => {
      const m = await import('./commands/attach.js')
      return { run: m.attach, options: m.ATTACH_OPTIONS }
    },
    help: `Usage: compose-harness attach [OPTIONS] SERVICE

Attaches this terminal's input and output to a running container of SERVICE, as 'docker compose
attach' does: its output from now on, this input as its input, until it stops; exits with its code.

      --detach-keys K   accepted: no terminal is ever allocated, so there is nothing to detach from
      --index N         which container of the service (default: its lowest running one)
      --no-stdin        do not pass this input on
      --sig-proxy       pass Ctrl+C and SIGTERM on to the container (the default; --sig-proxy=false does not)`,
  },
  commit: {
    summary: "make an image from a service container's changes",
    project: 'name',
    load: async () => {
      const m = await import('./commands/commit.js')
      return { run: m.commit, options: m.COMMIT_OPTIONS }
    },
    help: `Usage: compose-harness commit [OPTIONS] SERVICE [REPOSITORY[:TAG]]

Makes a new image from the changes of a container of SERVICE, as 'docker compose commit' does, and
says its ID.

  -a, --author A      the image's author
  -c, --change I      a Dockerfile instruction to apply to the image (repeatable)
      --index N       which container of the service (default: its lowest running one)
  -m, --message M     the commit message
  -p, --pause         pause the container while committing (the default; --pause=false does not)`,
  },
  events: {
    summary: "print the project's container events as they happen",
    project: 'name',
    load: async () => {
      const m = await import('./commands/events.js')
      return { run: m.events, options: m.EVENTS_OPTIONS }
    },
    help: `Usage: compose-harness events [--json] [--since T] [--until T] [SERVICE...]

Prints each event of the project's containers (created, started, died, health status…) as the
engine reports it, as 'docker compose events' does, until --until or Ctrl+C.

      --json          one JSON object an event
      --since T       from this time on (a timestamp, a Unix time, or a duration such as 10m)
      --until T       until this time, then end`,
  },
  export: {
    summary: "write a service container's filesystem as a tar archive",
    project: 'name',
    load: async () => {
      const m = await import('./commands/export.js')
      return { run: m.exportCommand, options: m.EXPORT_OPTIONS }
    },
    help: `Usage: compose-harness export [--index N] [-o FILE] SERVICE

Writes the filesystem of a container of SERVICE as a tar archive, to FILE or to standard output
(never to a terminal), as 'docker compose export' does.

      --index N       which container of the service (default: its lowest running one)
  -o, --output FILE   write to FILE instead of standard output`,
  },
  scale: {
    summary: 'set the number of containers of services',
    project: 'files',
    load: async () => {
      const m = await import('./commands/scale.js')
      return { run: m.scale, options: m.SCALE_OPTIONS }
    },
    help: `Usage: compose-harness scale [--no-deps] SERVICE=REPLICAS...

Creates or removes containers of the services named until each has REPLICAS, recreates those whose
configuration changed, and starts them with what they depend on, as 'docker compose scale' does
('up -d --scale SERVICE=REPLICAS SERVICE').

      --no-deps       do not start what the services depend on`,
  },
  stats: {
    summary: "show the containers' use of CPU, memory, network and disk",
    project: 'name',
    load: async () => {
      const m = await import('./commands/stats.js')
      return { run: m.stats, options: m.STATS_OPTIONS }
    },
    help: `Usage: compose-harness stats [-a] [--no-stream] [--no-trunc] [--format F] [SERVICE...]

Shows each running container's use of CPU, memory, network, disk and processes, as 'docker compose
stats' does, again every second until Ctrl+C.

  -a, --all           stopped containers too
      --no-stream     show the figures once, and end
      --no-trunc      the containers' whole IDs
      --format F      table (default), json (one object a line) or a Go template ('{{.Name}} {{.CPUPerc}}')`,
  },
  volumes: {
    summary: 'list the volumes of the project',
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/volumes.js')
      return { run: m.volumes, options: m.VOLUMES_OPTIONS }
    },
    help: `Usage: compose-harness volumes [-q] [--format table|json|TEMPLATE] [SERVICE...]

Lists the project's volumes, as 'docker compose volumes' does: with services named, only the
volumes their running containers mount.

  -q, --quiet         only the volumes' names
      --format F      table (default), json (one object a line) or a Go template ('{{.Name}}')`,
  },
  pull: {
    summary: "pull the services' images",
    project: 'files',
    load: async () => {
      const m = await import('./commands/pull.js')
      return { run: m.pull, options: m.PULL_OPTIONS }
    },
    help: `Usage: compose-harness pull [OPTIONS] [SERVICE...]

Pulls the images of the services (of those named, when given), once per image, as Compose v2
does: not where a service's pull_policy is never or build, nor (missing) where the image is
present. A failed pull is an error (exit 1), but only a warning for a service that can build its
image. With no registry reachable, the error says so.

  -q, --quiet                 print nothing but failures
      --ignore-buildable      do not pull images that a service builds
      --ignore-pull-failures  warn of failed pulls and exit 0
      --include-deps          with SERVICE names: also the services they depend on
      --policy POLICY         missing or always (or another pull_policy value), over the pull_policy
                              of every service naming an image; missing pulls a latest tag all the same`,
  },
  publish: {
    summary: 'publish the project to a registry as an OCI artifact',
    project: 'files',
    load: async () => {
      const m = await import('./commands/publish.js')
      return { run: m.publish, options: m.PUBLISH_OPTIONS }
    },
    help: `Usage: compose-harness publish [--with-env] [--resolve-image-digests] [--oci-version 1.0|1.1] [--app] [-y] REPOSITORY[:TAG]

Publishes the project as an OCI artifact, as Compose v2 does: the images its services build are
pushed first, then each compose file is a layer of the artifact (the env files and extends files
it names replaced by a hash of their path). A project with bind mounts, or with variables and
--with-env, is shown and you are asked first; variables without --with-env are refused. Over
HTTPS (plain HTTP where __TEST__INSECURE__REGISTRY__ is set, as Compose v2 reads it), with the
docker CLI's credentials for the registry.

      --with-env               put the env files in the artifact too, and publish variables
      --resolve-image-digests  add an override that pins each service's image to its digest
      --oci-version V          1.0 or 1.1 (default: 1.1, else 1.0 where the registry refuses it)
  -y, --yes                    ask nothing: publish bind mounts and variables as they are
      --app                    copy the services' images into the repository too, listed by an index`,
  },
  push: {
    summary: 'push the images that services build',
    project: 'files',
    load: async () => {
      const m = await import('./commands/pull.js')
      return { run: m.push, options: m.PUSH_OPTIONS }
    },
    help: `Usage: compose-harness push [-q] [--ignore-push-failures] [--include-deps] [SERVICE...]

Pushes the image of each service that builds one and names it ('build' and 'image' both), once per
image, as Compose v2 does. A failed push is an error (exit 1); with no registry reachable, the
error says so.

  -q, --quiet                 print nothing but failures
      --ignore-push-failures  warn of failed pushes and exit 0
      --include-deps          with SERVICE names: also the services they depend on`,
  },
  rm: {
    summary: "remove the project's stopped containers",
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/rm.js')
      return { run: m.rm, options: m.RM_OPTIONS }
    },
    help: `Usage: compose-harness rm [-f] [-s] [-v] [SERVICE...]

Removes the project's stopped containers (of the services named, when given), with their
anonymous volumes. Names them first and, without -f, asks for a yes on its input: no answer
removes nothing, as Compose v2 does.

  -f, --force         remove without asking
  -s, --stop          stop the containers first
  -v, --volumes       also their anonymous volumes (they always go with the harness)`,
  },
  top: {
    summary: "show the processes of the project's running containers",
    project: 'name',
    load: async () => {
      const m = await import('./commands/top.js')
      return { run: m.top, options: m.TOP_OPTIONS }
    },
    help: `Usage: compose-harness top [SERVICE...]

Shows the processes of each running container of the project, as the engine lists them.`,
  },
  wait: {
    summary: "wait for services' containers to stop; exit with the first one's code",
    project: 'files-or-name',
    load: async () => {
      const m = await import('./commands/wait.js')
      return { run: m.wait, options: m.WAIT_OPTIONS }
    },
    help: `Usage: compose-harness wait [--down-project] SERVICE...

Blocks until a container of the services named has stopped, then exits with its exit code.

      --down-project  then take the project down, as 'down' does`,
  },
  watch: {
    summary: "run the services' develop.watch rules on changes of their files",
    project: 'files',
    load: async () => {
      const m = await import('./commands/watch.js')
      return { run: m.watch, options: m.WATCH_OPTIONS }
    },
    help: `Usage: compose-harness watch [--no-up] [--prune=false] [--quiet] [SERVICE...]

Brings the services up (as 'up -d', the images of those with a develop section built anew), then
runs their develop.watch rules on changes of their files until Ctrl+C, as 'docker compose watch'
does: sync copies the changed files into the containers (and removes those removed), restart
restarts them, rebuild builds the image and recreates them, sync+restart and sync+exec sync and
then restart or run their command; initial_sync syncs at the start. Changes are taken in batches,
once none has come for half a second. The containers keep running after the watch ends.

      --no-up         watch the project as it is, without bringing it up
      --prune         after a rebuild, remove the project's images it left untagged (default true)
      --quiet         show no build steps`,
  },
  ls: {
    summary: 'list the projects on the engine',
    project: 'none',
    load: async () => {
      const m = await import('./commands/ls.js')
      return { run: m.ls, options: m.LS_OPTIONS }
    },
    help: `Usage: compose-harness ls [-a] [-q] [--filter name=PATTERN] [--format table|json]

Lists the projects on the engine, whichever tool brought them up, with their containers' states
and the files they came from. Needs no compose file.

  -a, --all           also projects whose containers are all stopped
  -q, --quiet         only the projects' names
      --filter F      name=PATTERN: only the projects whose name the pattern matches
      --format F      table (default) or json (one array)`,
  },
  version: {
    summary: "print compose-harness's version",
    project: 'none',
    load: async () => {
      const m = await import('./commands/version.js')
      return { run: m.version, options: m.VERSION_OPTIONS }
    },
    help: `Usage: compose-harness version [--short] [--format pretty|json]

Prints compose-harness's version. Needs no compose file.

      --short         only the number
      --format F      pretty (default) or json`,
  },
  compare: {
    summary: 'run the files through Compose v2 too and report where the two differ',
    project: 'none',
    load: async () => {
      const m = await import('./commands/compare.js')
      return { run: m.compare, options: m.COMPARE_OPTIONS }
    },
    help: `Usage: compose-harness compare [--containers] [--format text|json]

Loads the files with compose-harness and with Compose v2 ('docker compose', or the copy that
'npm run provision' fetches) and reports every difference in the model ('config --format json').
With --containers, also brings the project up with both (under temporary project names, one
after the other), compares every container, network and volume field by field, and removes both.
Each difference is marked as known (a divergence the harness makes on purpose, with its reason
and the way to get Compose v2's behaviour) or not. Exits 1 when a difference is not known.

      --containers     also compare what 'up -d' creates
      --format json    one JSON object a difference, with its divergence's id or null`,
  },
}

/** What `compose-harness --help` prints: the global flags and every command, from the registry. */
export const USAGE = `Usage: compose-harness [-f FILE]... [-p NAME] [--project-directory DIR] COMMAND [ARGS]

Runs a Docker Compose project through Testcontainers, without the docker compose binary.

Global flags:
  -f, --file FILE            compose file, - for the standard input; repeat to merge several (default:
                             COMPOSE_FILE, paths split on COMPOSE_PATH_SEPARATOR or ':'; else compose.yaml,
                             docker-compose.yml, … with its compose.override.yml, here or in the nearest
                             directory above that has one)
  -p, --project-name NAME    project name (default: COMPOSE_PROJECT_NAME, then name:, then the directory's name)
      --project-directory DIR  directory relative paths resolve against (default: the first file's)
      --env-file FILE        variables for interpolation; repeat for several (default: COMPOSE_ENV_FILES,
                             comma-separated; else .env in the project directory, unless
                             COMPOSE_DISABLE_ENV_FILE); their COMPOSE_* variables count as exported
      --profile NAME         enable services of this profile; repeat for several (default: COMPOSE_PROFILES)
      --progress MODE        how commands show their steps, on standard error: auto (a live view on a
                             terminal, plain lines elsewhere or with NO_COLOR), tty, plain, quiet (or
                             none), json (default: COMPOSE_PROGRESS)
      --all-resources        every network and volume the files declare, used by a service or not
                             ('up' creates them, 'config' shows them)
      --parallel N           at most N builds, pulls and pushes at once (default: COMPOSE_PARALLEL_LIMIT,
                             else no limit on pulls and pushes, and up to 4 builds)
      --ansi WHEN            colours and the live view: never, always, or auto (default: COMPOSE_ANSI,
                             else auto: on a terminal, without NO_COLOR)
      --dry-run              show what the command would do, and change nothing on the engine
  -H, --host ADDRESS         the engine to talk to (default: DOCKER_HOST)
      --context NAME         the Docker context whose engine to talk to (default: DOCKER_CONTEXT)
      --tlsverify            TLS to the engine, its certificate checked against the CA (default:
                             DOCKER_TLS_VERIFY); --tls alone, unchecked, is refused
      --tlscacert FILE       the CA the engine's certificate is checked against (default: ca.pem of
                             DOCKER_CERT_PATH, else of ~/.docker)
      --tlscert FILE         the client's certificate (default: cert.pem there)
      --tlskey FILE          the client's key (default: key.pem there)
      --compatibility        name containers and default images as Compose v1 did (p_web_1, p_web);
                             also COMPOSE_COMPATIBILITY

Commands:
${Object.entries(COMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(9)} ${summary}`)
  .join('\n')}

Run 'compose-harness COMMAND --help' for a command's flags.`
