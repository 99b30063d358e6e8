/**
 * `kubeguard drift PATH... (--cluster | --snapshot FILE) [-n NS] [--format table|json] [--fail-on SEV] [--audit FILE]`:
 * the manifests against the live objects (src/usecases/drift.ts, src/analysis/drift). Parsing and rendering only.
 * Exit codes: 0 no drift at or above --fail-on; 1 drift at or above it; 2 usage error; 3 could not evaluate
 * (unreadable input, a kind the cluster would not list, a manifest whose live side could not be read).
 */
import type { Command } from 'commander';
import type { Severity } from '../../core/model.js';
import { SEVERITIES } from '../../core/model.js';
import { exitCode } from '../../core/outcome.js';
import { loadConfig } from '../../sources/config/load-config.js';
import { resolveScanResultsPath } from '../../sources/scan-results/paths.js';
import { driftFails, renderDriftJson, renderDriftTable } from '../../analysis/drift/index.js';
import { runDrift } from '../../usecases/drift.js';
import { clusterOptions, NAMESPACE_OPTION, type InputFlags } from '../inputs.js';
import { collect, note, oneOf, writeOutput } from '../io.js';

interface DriftFlags extends InputFlags {
  format: string;
  failOn?: string;
  audit?: string[];
  config?: string;
  scanResults?: string;
  output?: string;
}

const FORMATS = ['table', 'json'] as const;

export function registerDrift(program: Command): void {
  const cmd = program
    .command('drift')
    .description('what runs in the cluster against the manifests, judged for security: rule violations, image, RBAC and NetworkPolicy drift, shadow and not-applied objects, who changed what')
    .argument('<paths...>', 'manifest files or directories (Kustomize, Helm output; - for stdin)');
  clusterOptions(cmd, 'compare with the live cluster of the current kubeconfig context')
    .option(...NAMESPACE_OPTION)
    .option('-o, --format <format>', `output format: ${FORMATS.join('|')}`, 'table')
    .option('--fail-on <severity>', `exit 1 when a drift is at or above: ${SEVERITIES.join('|')} (default: config failOn, else high)`)
    .option('--audit <file>', 'audit.k8s.io/v1 events (log backend JSON lines or an EventList): who changed what, and when (repeatable)', collect)
    .option('--scan-results <file>', 'scan-result store to tell scanned image digests from unscanned (default $KUBEGUARD_SCAN_RESULTS or scan-results.db next to the vulnerability database)')
    .option('--config <file>', 'kubeguard.yaml (rules, exceptions, drift.ignoreDifferences)')
    .option('--output <file>', 'write the result to a file')
    .option('-q, --quiet', 'no progress or notes on stderr')
    .action(async (paths: string[], flags: DriftFlags) => {
      const format = oneOf(flags.format, FORMATS, '--format');
      const { config } = await loadConfig(flags.config);
      const failOn: Severity = flags.failOn ? oneOf(flags.failOn, SEVERITIES, '--fail-on') : (config.failOn ?? 'high');
      const { report, errors, notEvaluated } = await runDrift({
        paths,
        snapshot: flags.snapshot,
        cluster: flags.cluster,
        context: flags.context,
        kubeconfig: flags.kubeconfig,
        namespace: flags.namespace,
        config,
        audit: flags.audit,
        scanResults: resolveScanResultsPath({ flag: flags.scanResults }),
        now: new Date(),
        onNote: (m) => note(m, flags.quiet),
      });
      for (const e of errors) note(`error: ${e.file ?? ''}${e.line ? ':' + e.line : ''} ${e.message}`, flags.quiet);
      if (format === 'json') for (const n of notEvaluated) note(`could not evaluate ${n.resource ? `${n.resource.kind}/${n.resource.namespace ? n.resource.namespace + '/' : ''}${n.resource.name}` : ''}: ${n.reason}`, flags.quiet);
      writeOutput(format === 'json' ? renderDriftJson(report) : renderDriftTable(report), flags.output);
      process.exitCode = exitCode({ errors, notEvaluated, failed: driftFails(report, failOn) });
    });
}
