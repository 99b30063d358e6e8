/**
 * The kubeguard CLI with the snapshot command registered, for tests run before src/cli/main.ts registers it
 * (then this is the plain CLI).
 */
import { CommanderError } from 'commander';
import { buildProgram } from '../../../cli/main.js';
import { registerSnapshot } from '../../../cli/commands/snapshot.js';
import { UsageError, errorMessage } from '../../../core/errors.js';

const program = buildProgram();
if (!program.commands.some((c) => c.name() === 'snapshot')) registerSnapshot(program);
try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? 0 : 2;
  else {
    process.stderr.write(`kubeguard: ${errorMessage(e)}\n`);
    process.exitCode = e instanceof UsageError ? 2 : 3;
  }
}
