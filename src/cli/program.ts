/**
 * The commander program and the exit-code contract, for a set of commands: every command (main.ts), or the scan
 * command alone (run-scan.ts, the entry of the bundle a scan starts from).
 */
import { Command, CommanderError } from 'commander';
import { TOOL } from '../generated/version.js';
import { UsageError, errorMessage } from '../core/errors.js';
import { EXIT } from '../core/outcome.js';

/** Each command by name: how to load its registration. */
export type Commands = Record<string, () => Promise<(program: Command) => void>>;

/** The program with the command named in argv registered, or every command (help, unknown names). */
export async function buildProgram(commands: Commands, argv: readonly string[] = []): Promise<Command> {
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
  const wanted = named === '--version' || named === '-V' ? [] : named !== undefined && Object.hasOwn(commands, named) ? [named] : Object.keys(commands);
  for (const register of await Promise.all(wanted.map((name) => commands[name]()))) register(program);
  return program;
}

export async function runProgram(commands: Commands, argv: string[]): Promise<void> {
  const program = await buildProgram(commands, argv);
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
