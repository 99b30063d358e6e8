/**
 * Process entry of `kubeguard scan` in the bundle (bin/kubeguard.js picks it): the scan command linked in, so the
 * bundler puts what a scan loads in a few files rather than the ~50 chunks it shares with the other commands
 * (start-up, #25). The same command, options and exit codes as through run.ts.
 */
import { registerScan } from './commands/scan.js';
import { runProgram } from './program.js';

await runProgram({ scan: async () => registerScan }, process.argv);
