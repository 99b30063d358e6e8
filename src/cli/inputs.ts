/**
 * The one input contract of the commands that read manifests or clusters (scan, pss, rbac, netpol, and the
 * posture context of runtime): the same options on each, turned into an InputSpec for the use case that loads
 * them (src/usecases/inputs.ts). Exit codes come from src/core/outcome.ts.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';
import type { Command } from 'commander';
import type { ClusterState } from '../sources/cluster/index.js';
import type { InputSpec, Inputs, RuleNeeds } from '../usecases/inputs.js';
import { emptyInputError as emptyError, loadInputs as load, readLiveCluster as readLive } from '../usecases/inputs.js';
import type { ScanError } from '../core/model.js';
import { collect, note } from './io.js';

export type { Inputs };

export interface InputFlags {
  file?: string[];
  snapshot?: string;
  cluster?: boolean;
  context?: string;
  kubeconfig?: string;
  /** -n/--namespace: where namespaced manifests without a namespace go, as `kubectl apply -n` (src/core/namespaces.ts). */
  namespace?: string;
  quiet?: boolean;
}

/** The -n/--namespace option of every command that reads manifests. */
export const NAMESPACE_OPTION = ['-n, --namespace <ns>', 'namespace of manifests that set none, as `kubectl apply -n` (default: what the input says, else "default")'] as const;

/** --snapshot, --cluster, --context, --kubeconfig: where cluster state comes from. */
export function clusterOptions(cmd: Command, what = 'read the live cluster of the current kubeconfig context'): Command {
  return cmd
    .option('--snapshot <file>', 'a snapshot or `kubectl get -o json` dump')
    .option('--cluster', what)
    .option('--context <name>', 'kubeconfig context (with --cluster)')
    .option('--kubeconfig <file>', 'kubeconfig file (with --cluster)');
}

/**
 * Registers the input options on a command: -f, the cluster options, -n, -q. A command that declared its own `-n`
 * keeps it (`rbac who-can -n` is the namespace of the request, and also that of manifests that set none).
 */
export function inputOptions(cmd: Command, what?: string): Command {
  clusterOptions(cmd.option('-f, --file <path>', 'input file or directory (repeatable)', collect), what);
  if (!cmd.options.some((o) => o.long === '--namespace')) cmd.option(...NAMESPACE_OPTION);
  return cmd.option('-q, --quiet', 'no progress or notes on stderr');
}

/** The flags (and positional paths) as the use case's input spec; notes go to stderr unless quiet. */
export function inputSpec(paths: readonly string[], flags: InputFlags): InputSpec {
  return {
    paths: [...paths, ...(flags.file ?? [])],
    snapshot: flags.snapshot,
    cluster: flags.cluster,
    context: flags.context,
    kubeconfig: flags.kubeconfig,
    namespace: flags.namespace,
    onNote: (m) => note(m, flags.quiet),
  };
}

/**
 * A command that loads whole inputs holds them, their line index and its findings at once, while judging them
 * leaves garbage behind that outlives V8's young generation. V8 lets the old generation grow to several times what
 * is live before it marks again: a 30 MB manifest peaked at ~560 MB (19× its size). Growing it by at most 30% per
 * collection keeps the peak near 420 MB (14×, #14 case 18) for a few per cent more CPU. Inputs too small to reach a
 * full collection gain nothing, and are spared loading node:v8 (start-up, #25).
 */
function collectGarbageSooner(spec: InputSpec): void {
  if (!mayBeLarge(spec)) return;
  (createRequire(import.meta.url)('node:v8') as typeof V8).setFlagsFromString('--heap-growing-percent=30');
}

const LARGE_FILE_BYTES = 1 << 20;

/** Whether the inputs may hold more than a few MB: a cluster, stdin, a directory, or a file over 1 MiB. */
function mayBeLarge(spec: InputSpec): boolean {
  if (spec.cluster) return true;
  const paths = spec.paths ?? [];
  for (const p of spec.snapshot === undefined ? paths : [...paths, spec.snapshot]) {
    if (p === '-') return true;
    try {
      const s = statSync(p);
      if (s.isDirectory() || s.size > LARGE_FILE_BYTES) return true;
    } catch {
      return true; // the loader says what is wrong with it
    }
  }
  return false;
}

/** Loads the inputs; `needs` are the checks that will run, made "could not evaluate" by a kind that could not be read. */
export function loadInputs(paths: readonly string[], flags: InputFlags, needs: readonly RuleNeeds[]): Promise<Inputs> {
  const spec = inputSpec(paths, flags);
  collectGarbageSooner(spec);
  return load(spec, needs);
}

/** Reads the live cluster of the chosen kubeconfig context (progress on stderr unless quiet). */
export function readLiveCluster(flags: InputFlags): Promise<ClusterState> {
  return readLive(inputSpec([], flags));
}

/** An error for an input with nothing to judge (exit 3), unless --allow-empty. */
export function emptyInputError(paths: readonly string[], flags: InputFlags, inputs: Inputs): ScanError | undefined {
  return emptyError(inputSpec(paths, flags), inputs);
}

/** Notes on stderr what an analysis could not evaluate (the exit code says so too). */
export function noteNotEvaluated(inputs: Inputs, quiet?: boolean): void {
  for (const n of inputs.notEvaluated) if (n.ruleId !== undefined) note(`could not evaluate ${n.ruleId}${n.scope ? ` (${n.scope})` : ''}: ${n.reason}`, quiet);
}
