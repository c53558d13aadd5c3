import { build } from './build.js'
import type { Command } from './command.js'
import { config } from './config.js'
import { cp } from './cp.js'
import { down } from './down.js'
import { exec } from './exec.js'
import { images } from './images.js'
import { logs } from './logs.js'
import { port } from './port.js'
import { ps } from './ps.js'
import { pull, push } from './pull.js'
import { rm } from './rm.js'
import { run } from './run.js'
import { kill, pause, unpause } from './signal.js'
import { start } from './start.js'
import { restart, stop } from './stop.js'
import { top } from './top.js'
import { create, up } from './up.js'
import { wait } from './wait.js'

/** Every command that works on a project, by its name on the command line (`compare`, `ls` and `version` do not: see main.ts). */
export const COMMANDS: Readonly<Record<string, Command>> = {
  build,
  config,
  cp,
  create,
  down,
  exec,
  images,
  kill,
  logs,
  pause,
  port,
  ps,
  pull,
  push,
  restart,
  rm,
  run,
  start,
  stop,
  top,
  unpause,
  up,
  wait,
}
