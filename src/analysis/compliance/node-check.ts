/**
 * `kubeguard node check` as a use of the kube-bench runner: choose the benchmark, run it on the node's facts, and
 * shape the result as a compliance view (report.ts). Managed platforms (EKS, GKE, AKS) get their provider's profile;
 * what the provider owns there (the control plane, etcd, and the managed-services recommendations that are
 * configured in the provider's console or API rather than on the node) is NOT_APPLICABLE with the reason.
 */
import type { Finding } from '../../core/model.js';
import { loadBenchmark, selectBenchmark, type Platform } from './kube-bench/benchmarks.js';
import type { BenchmarkCheck, NodeType } from './kube-bench/definitions.js';
import type { NodeFacts } from './kube-bench/facts.js';
import { runControls, type CheckResult } from './kube-bench/run.js';
import { scoreControls, type ComplianceControl, type ComplianceReport } from './report.js';

export interface NodeCheckOptions {
  /** A shipped benchmark name, or 'auto' (by version and platform). */
  benchmark: string;
  /** The node's kubelet version (e.g. v1.33.2), for 'auto'. */
  version?: string;
  platform: Platform;
  /** The node's name, for findings. */
  nodeName: string;
}

export interface NodeCheckResult {
  report: ComplianceReport;
  /** Why this benchmark. */
  selection: string;
  results: CheckResult[];
}

const PROVIDER: Record<Exclude<Platform, 'generic'>, string> = { eks: 'Amazon EKS', gke: 'Google GKE', aks: 'Azure AKS' };

/** What the managed provider owns: the control plane and etcd, and managed-service settings made outside the node. */
export function providerOwned(platform: Platform): ((check: BenchmarkCheck, target: NodeType) => string | undefined) | undefined {
  if (platform === 'generic') return undefined;
  const who = PROVIDER[platform];
  return (_check, target) => {
    if (target === 'master' || target === 'etcd' || target === 'controlplane') return `${who} operates the control plane and etcd: the provider owns this check (its shared-responsibility model)`;
    if (target === 'managedservices') return `a ${who} account or cluster setting, made in the provider's API rather than on the node: check it with the provider's tools`;
    return undefined;
  };
}

function finding(r: CheckResult, benchmark: string, node: string): Finding {
  return {
    ruleId: `${benchmark}/${r.id}`,
    severity: 'medium',
    message: `${r.title}: expected ${r.expected ?? 'the check to pass'}`,
    resource: { apiVersion: 'v1', kind: 'Node', name: node },
    path: '',
    remediation: r.remediation.trim(),
    compliance: { cis: [r.id] },
    ...(r.actual && { evidence: r.actual }),
  };
}

export function nodeCheck(facts: NodeFacts, options: NodeCheckOptions): NodeCheckResult {
  const chosen = options.benchmark === 'auto' ? selectBenchmark(options.version, options.platform) : { name: options.benchmark, why: 'chosen with --benchmark' };
  const bench = loadBenchmark(chosen.name);
  const results = runControls(bench.files, bench.config, facts, { providerOwned: providerOwned(options.platform) });
  const section = new Map<string, { id: string; title: string }>();
  const controls: ComplianceControl[] = results.map((r) => {
    section.set(r.id, r.section);
    return { id: r.id, title: r.title, status: r.status, evidence: r.evidence, findings: r.status === 'FAIL' ? [finding(r, bench.name, options.nodeName)] : [] };
  });
  const score = scoreControls(controls, (c) => section.get(c.id)!);
  return { report: { framework: 'cis', version: bench.name, controls, score }, selection: chosen.why, results };
}
