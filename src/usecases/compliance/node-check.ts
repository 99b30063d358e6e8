/**
 * `kubeguard node check`: facts from the host (processes of this PID namespace, files under --root) or, without
 * host access, from the API server (the kubelet's /configz through the node proxy); version and platform from the
 * Node object when the API is at hand, else from the kubelet's own flags; then the benchmark.
 */
import { detectPlatform, type Platform } from '../../analysis/compliance/kube-bench/benchmarks.js';
import { flagValue, runningAs } from '../../analysis/compliance/kube-bench/discover.js';
import type { NodeFacts } from '../../analysis/compliance/kube-bench/facts.js';
import { nodeCheck, type NodeCheckResult } from '../../analysis/compliance/node-check.js';
import type { ObjectClient } from '../../sources/cluster/object-client.js';
import { nodeFromApi } from '../../sources/node-check/api-facts.js';
import { hostFacts } from '../../sources/node-check/host-facts.js';

export interface NodeCheckRequest {
  benchmark: string;
  platform: Platform | 'auto';
  kubernetesVersion?: string;
  nodeName: string;
  /** Read the host (default) or only the API server. */
  host?: { root: string; proc: string };
  api?: ObjectClient;
}

export interface NodeCheckRun extends NodeCheckResult {
  platformWhy: string;
  source: string;
}

/** `--node-labels=a=b,c=d` of the running kubelet. */
function kubeletLabels(facts: NodeFacts): Record<string, string> {
  const kubelet = runningAs(facts.processes, 'kubelet')[0];
  const text = kubelet ? flagValue(kubelet.argv, '--node-labels') : undefined;
  return Object.fromEntries((text ?? '').split(',').filter((kv) => kv.includes('=')).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

export async function runNodeCheck(req: NodeCheckRequest): Promise<NodeCheckRun> {
  const api = req.api ? await nodeFromApi(req.api, req.nodeName) : undefined;
  const facts = req.host ? hostFacts(req.host) : api!.facts;
  const version = req.kubernetesVersion ?? api?.version;
  const detected = req.platform === 'auto' ? detectPlatform({ ...kubeletLabels(facts), ...(api?.labels ?? {}) }, version) : { platform: req.platform, why: 'chosen with --platform' };
  const result = nodeCheck(facts, { benchmark: req.benchmark, version, platform: detected.platform, nodeName: req.nodeName });
  return { ...result, platformWhy: detected.why, source: facts.description };
}
