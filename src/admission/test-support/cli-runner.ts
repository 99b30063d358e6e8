/**
 * Test support: runs `kubeguard admission …` through commander exactly as src/cli/main.ts would once the
 * command is registered there, so the CLI tests can spawn it as a real process (signals, exit codes, stdout).
 */
import { Command, CommanderError } from 'commander';
import { UsageError, errorMessage } from '../../core/errors.js';
import { registerAdmission } from '../../cli/commands/admission.js';

const program = new Command().name('kubeguard').exitOverride();
registerAdmission(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else if (e instanceof UsageError) {
    process.stderr.write(`kubeguard: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`kubeguard: ${errorMessage(e)}\n`);
    process.exitCode = 3;
  }
}
