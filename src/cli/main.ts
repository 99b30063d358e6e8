/** Entry point: commander program, command registration, and the exit-code contract. */
import { Command, CommanderError } from 'commander';
import { TOOL } from '../generated/version.js';
import { UsageError, errorMessage } from '../core/errors.js';
import { EXIT } from '../core/outcome.js';

/**
 * Every command, loaded on demand: a process running one command (above all the long-lived admission webhook)
 * does not hold the code and data of the others (about 25 MiB).
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
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
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command();
  program
    .name(process.argv[1]?.includes('kubectl-kubeguard') ? 'kubectl kubeguard' : 'kubeguard')
    .description('Kubernetes security across the container lifecycle')
    .version(TOOL.version)
    .exitOverride()
    .showHelpAfterError()
    // options after a subcommand belong to it: `kubeguard pss --version v1.30` is the policy version
    .enablePositionalOptions();
  const named = argv[2];
  // `--version` needs no command; help and unknown names list them all
  const wanted = named === '--version' || named === '-V' ? [] : named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]()))) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error
      process.exitCode = e.exitCode === 0 ? EXIT.clean : EXIT.usage;
      return;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`kubeguard: ${e.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`kubeguard: ${errorMessage(e)}\n`);
    process.exitCode = EXIT.incomplete;
  }
}
