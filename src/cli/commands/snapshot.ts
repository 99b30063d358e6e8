/** `kubeguard snapshot -o FILE[.gz]` — save the live cluster's state for offline analysis (`--snapshot FILE`). */
import type { Command } from 'commander';
import { TOOL } from '../../engine/report.js';
import { UsageError } from '../../core/errors.js';
import { writeSnapshot } from '../../sources/cluster/index.js';
import { readLiveCluster } from '../inputs.js';
import { note } from '../io.js';
import { exitCode } from '../../core/outcome.js';

interface SnapshotFlags {
  output?: string;
  context?: string;
  kubeconfig?: string;
  quiet?: boolean;
}

export function registerSnapshot(program: Command): void {
  program
    .command('snapshot')
    .description('save the cluster state (no managedFields, no Secret values) to a JSON List file, gzip when it ends in .gz')
    .requiredOption('-o, --output <file>', 'snapshot file (FILE.json or FILE.json.gz)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (flags: SnapshotFlags) => {
      if (!flags.output) throw new UsageError('-o/--output FILE is required');
      const state = await readLiveCluster({ ...flags, cluster: true });
      await writeSnapshot(flags.output, state, TOOL);
      note(`wrote ${state.objects.length} objects from context ${state.context} to ${flags.output}` + (state.failures.length ? ` (${state.failures.length} kinds or namespaces could not be read: recorded in the snapshot)` : ''), flags.quiet);
      // an incomplete snapshot is still written, and the exit code says so
      process.exitCode = exitCode({ errors: state.failures });
    });
}
