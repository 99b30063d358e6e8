/** Entry point: commander program, command registration, and the exit-code contract. */
import { Command, CommanderError } from 'commander';
import { TOOL } from '../engine/scan.js';
import { UsageError, errorMessage } from '../core/errors.js';
import { registerScan } from './commands/scan.js';
import { registerRules } from './commands/rules.js';
import { registerPss } from './commands/pss.js';
import { registerNetpol } from './commands/netpol.js';
import { registerRbac } from './commands/rbac.js';
import { registerAdmission } from './commands/admission.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerDb } from './commands/db.js';
import { registerImage } from './commands/image.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name(process.argv[1]?.includes('kubectl-kubeguard') ? 'kubectl kubeguard' : 'kubeguard')
    .description('Kubernetes security across the container lifecycle')
    .version(TOOL.version)
    .exitOverride()
    .showHelpAfterError()
    // options after a subcommand belong to it: `kubeguard pss --version v1.30` is the policy version
    .enablePositionalOptions();
  registerScan(program);
  registerRules(program);
  registerPss(program);
  registerNetpol(program);
  registerRbac(program);
  registerAdmission(program);
  registerSnapshot(program);
  registerDb(program);
  registerImage(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every other commander error is a usage error
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`kubeguard: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`kubeguard: ${errorMessage(e)}\n`);
    process.exitCode = 3;
  }
}
