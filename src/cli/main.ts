/** Entry point: every command, registered on demand (see program.ts for the program and its exit codes). */
import type { Command } from 'commander';
import type { Commands } from './program.js';
import { buildProgram as build, runProgram } from './program.js';

/**
 * Every command, loaded on demand: a process running one command (above all the long-lived admission webhook)
 * does not hold the code and data of the others (about 25 MiB).
 */
const COMMANDS: Commands = {
  scan: async () => (await import('./commands/scan.js')).registerScan,
  rules: async () => (await import('./commands/rules.js')).registerRules,
  pss: async () => (await import('./commands/pss.js')).registerPss,
  netpol: async () => (await import('./commands/netpol.js')).registerNetpol,
  rbac: async () => (await import('./commands/rbac.js')).registerRbac,
  admission: async () => (await import('./commands/admission.js')).registerAdmission,
  snapshot: async () => (await import('./commands/snapshot.js')).registerSnapshot,
  db: async () => (await import('./commands/db.js')).registerDb,
  image: async () => (await import('./commands/image.js')).registerImage,
  install: async () => (await import('./commands/install.js')).registerInstall,
  serve: async () => (await import('./commands/serve.js')).registerServe,
  server: async () => (await import('./commands/server.js')).registerServer,
  import: async () => (await import('./commands/import.js')).registerImport,
  sensor: async () => (await import('./commands/sensor.js')).registerSensor,
  runtime: async () => (await import('./commands/runtime.js')).registerRuntime,
  forensics: async () => (await import('./commands/forensics.js')).registerForensics,
  policy: async () => (await import('./commands/policy.js')).registerPolicy,
  node: async () => (await import('./commands/node.js')).registerNode,
  agent: async () => (await import('./commands/agent.js')).registerAgent,
  paths: async () => (await import('./commands/paths.js')).registerPaths,
  drift: async () => (await import('./commands/drift.js')).registerDrift,
  trust: async () => (await import('./commands/trust.js')).registerTrust,
};

/** The program with the command named in argv registered, or every command (help, unknown names). */
export function buildProgram(argv: readonly string[] = []): Promise<Command> {
  return build(COMMANDS, argv);
}

export function main(argv: string[]): Promise<void> {
  return runProgram(COMMANDS, argv);
}
