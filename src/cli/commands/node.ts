/** `kubeguard node check|install`: CIS node checks (kube-bench definitions, our evaluator) and their DaemonSet. */
import type { Command } from 'commander';
import { hostname } from 'node:os';
import { SHIPPED_BENCHMARKS } from '../../analysis/compliance/kube-bench/benchmarks.js';
import { complianceExitCode } from '../../analysis/compliance/report.js';
import { UsageError } from '../../core/errors.js';
import { COMPLIANCE_FORMATS, renderCompliance } from '../../reporters/compliance.js';
import { loadKubeConfig } from '../../sources/cluster/index.js';
import { ObjectClient } from '../../sources/cluster/object-client.js';
import { kubeConfigRequest } from '../../sources/cluster/transport.js';
import { runNodeCheck } from '../../usecases/compliance/node-check.js';
import { parseDuration } from '../../core/duration.js';
import { DEFAULT_IMAGE } from '../../install/component.js';
import { nodeCheckObjects } from '../../install/components/node-check.js';
import yaml from 'js-yaml';
import { note, oneOf, writeOutput } from '../io.js';

interface CheckFlags {
  root: string;
  proc: string;
  benchmark: string;
  platform: string;
  kubernetesVersion?: string;
  node?: string;
  cluster?: boolean;
  apiOnly?: boolean;
  context?: string;
  kubeconfig?: string;
  format: string;
  output?: string;
  quiet?: boolean;
  every?: string;
}

export function registerNode(program: Command): void {
  const node = program.command('node').description('CIS checks of the node itself: kubelet flags and config, file modes and owners, control-plane processes');
  node
    .command('check')
    .description('evaluate a CIS benchmark (kube-bench check definitions) on this node; audits are answered by our own readers, never run as shell')
    .option('--root <dir>', "the host's filesystem (paths from the benchmark and from command lines are resolved under it)", '/')
    .option('--proc <dir>', '/proc of the PID namespace whose processes are checked', '/proc')
    .option('--benchmark <name>', `auto (by Kubernetes version and platform) or one of ${SHIPPED_BENCHMARKS.join(', ')}`, 'auto')
    .option('--platform <name>', 'auto|generic|eks|gke|aks (managed platforms: provider-owned checks are NOT_APPLICABLE)', 'auto')
    .option('--kubernetes-version <v>', 'the Kubernetes version for --benchmark auto (default: from the Node object with --cluster)')
    .option('--node <name>', 'this node\'s name (default: $NODE_NAME, else the host name)')
    .option('--cluster', 'also ask the API server (Node object: version, platform labels)')
    .option('--api-only', 'no host access: read the kubelet /configz through the API server\'s node proxy (implies --cluster)')
    .option('--context <name>', 'kubeconfig context')
    .option('--kubeconfig <file>', 'kubeconfig file')
    .option('-o, --format <format>', COMPLIANCE_FORMATS.join('|'), 'table')
    .option('--output <file>', 'write the report to a file')
    .option('--every <duration>', 'run again at this interval, forever (the DaemonSet: 12h); each result is written anew')
    .option('-q, --quiet', 'no progress notes on stderr')
    .action(async (flags: CheckFlags) => {
      const every = flags.every === undefined ? undefined : parseDuration(flags.every);
      if (flags.every !== undefined && (every === undefined || every < 60_000)) throw new UsageError(`--every ${flags.every}: give a duration of at least 1m (e.g. 12h)`);
      const format = oneOf(flags.format, COMPLIANCE_FORMATS, '--format');
      const platform = oneOf(flags.platform, ['auto', 'generic', 'eks', 'gke', 'aks'] as const, '--platform');
      if (flags.benchmark !== 'auto' && !SHIPPED_BENCHMARKS.includes(flags.benchmark)) throw new UsageError(`--benchmark: unknown ${JSON.stringify(flags.benchmark)} (auto, ${SHIPPED_BENCHMARKS.join(', ')})`);
      const nodeName = flags.node ?? process.env.NODE_NAME ?? hostname();
      for (;;) {
      let api: ObjectClient | undefined;
      if (flags.cluster || flags.apiOnly) {
        const { kc } = await loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
        api = new ObjectClient(kubeConfigRequest(kc, { timeoutMs: 30_000 }));
      }
      const run = await runNodeCheck({
        benchmark: flags.benchmark,
        platform,
        kubernetesVersion: flags.kubernetesVersion,
        nodeName,
        host: flags.apiOnly ? undefined : { root: flags.root, proc: flags.proc },
        api,
      });
      note(`node ${nodeName} (${run.source}): benchmark ${run.report.version} — ${run.selection}; platform ${run.platformWhy}`, flags.quiet);
      const subject = { apiVersion: 'v1', kind: 'Node', name: nodeName };
      const text = renderCompliance(format, run.report, { header: [`Node ${nodeName} — ${run.report.version} (${run.selection})`], name: `kubeguard-${run.report.version}-${nodeName}`, subject });
      writeOutput(every ? `${text}${format === 'policyreport' ? '---\n' : ''}` : text, flags.output);
      process.exitCode = complianceExitCode(run.report);
      if (every === undefined) return;
      await new Promise((r) => setTimeout(r, every));
      }
    });
  node
    .command('install')
    .description('print the DaemonSet that runs `node check` on every node (hostPID, read-only host mounts), results in its log as PolicyReports')
    .option('-n, --namespace <ns>', 'namespace (it must allow privileged pods)', 'kubeguard-node')
    .option('--image <ref>', 'kubeguard image (by digest in production)', DEFAULT_IMAGE)
    .option('--every <duration>', 'how often each node is checked', '12h')
    .action((flags: { namespace: string; image: string; every: string }) => {
      const every = parseDuration(flags.every);
      if (every === undefined || every < 60_000) throw new UsageError(`--every ${flags.every}: give a duration of at least 1m (e.g. 12h)`);
      writeOutput(nodeCheckObjects({ namespace: flags.namespace, image: flags.image, every: flags.every }).map((o) => yaml.dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
    });
}
