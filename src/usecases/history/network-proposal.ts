/**
 * What a proposed NetworkPolicy would change in a cluster, as `kubeguard netpol diff` answers it: the cluster's
 * network model from its latest whole-cluster scan (namespaces, workloads, policies), once as it is and once with
 * the proposed policies applied as `kubectl apply` would (same namespace and name: replaced; else added), compared
 * connection by connection (analysis/network/diff.ts). Nothing is stored.
 */
import type { KubeObject } from '../../core/model.js';
import { UsageError } from '../../core/errors.js';
import { diff, type ConnChange } from '../../analysis/network/diff.js';
import { clusterFromTopology, topologyPolicy, type NetTopology } from '../../analysis/network/topology.js';
import { parseManifestText } from '../../sources/manifests/parse-text.js';
import { inventoryClusters, inventoryTopology } from '../../sources/store/inventory.js';
import type { Store } from '../../sources/store/open.js';
import { BudgetError, BusyError, NotFoundError } from '../errors.js';
import { startModuleWorker } from '../../sources/module-worker.js';

/** Most characters of proposed policies, most policies, most changes listed per direction. */
export const MAX_PROPOSAL_CHARS = 256 * 1024;
export const MAX_PROPOSED_POLICIES = 50;
export const MAX_LISTED_CHANGES = 2000;

export interface ProposalEndpoint {
  /** `Kind/namespace/name` as the network view names workloads, or `external:CIDR`. */
  id: string;
  label: string;
  namespace?: string;
}

export interface ProposalChange {
  from: ProposalEndpoint;
  to: ProposalEndpoint;
  /** The connections gained or lost ("TCP 80"), and all allowed before and after. */
  connections: string;
  before: string;
  after: string;
}

export interface ProposalView {
  cluster: string;
  scannedAt: string;
  policies: { namespace: string; name: string; replaces: boolean }[];
  gained: ProposalChange[];
  lost: ProposalChange[];
  counts: { gained: number; lost: number };
  /** More changes than MAX_LISTED_CHANGES in a direction: the first ones (by source, destination) are listed. */
  truncated: boolean;
  warnings: string[];
}

/** "shop/web[Deployment]" or "10.0.0.0/8[External]", as diff names its endpoints. */
function endpoint(display: string): ProposalEndpoint {
  const m = /^(.*)\[([^\]]+)\]$/.exec(display);
  const [name, kind] = m ? [m[1], m[2]] : [display, 'External'];
  if (kind === 'External') return { id: `external:${name}`, label: `addresses ${name}` };
  const slash = name.indexOf('/');
  const namespace = name.slice(0, slash);
  const workload = name.slice(slash + 1);
  return { id: `${kind}/${namespace}/${workload}`, label: `${kind} ${namespace}/${workload}`, namespace };
}

/** The NetworkPolicies of the proposal text; a policy without a namespace goes to `namespace` (kubectl's -n). */
export function proposedPolicies(text: string, namespace: string): KubeObject[] {
  if (text.length > MAX_PROPOSAL_CHARS) throw new UsageError(`the proposal is longer than ${MAX_PROPOSAL_CHARS} characters`);
  const parsed = parseManifestText(text, 'proposal');
  const e = parsed.errors[0];
  if (e) throw new UsageError(`the proposal does not parse${e.line ? ` (line ${e.line})` : ''}: ${e.message}`);
  const policies: KubeObject[] = [];
  for (const r of parsed.resources) {
    const o = r.object;
    if (o.kind !== 'NetworkPolicy' || !(o.apiVersion ?? '').startsWith('networking.k8s.io/')) throw new UsageError(`the proposal may hold NetworkPolicy objects (networking.k8s.io) only; line ${r.source?.line ?? '?'} is a ${String(o.kind ?? 'object without a kind')}`);
    if (typeof o.metadata?.name !== 'string' || !o.metadata.name) throw new UsageError(`the NetworkPolicy at line ${r.source?.line ?? '?'} has no metadata.name`);
    policies.push(topologyPolicy({ ...o, metadata: { ...o.metadata, namespace: o.metadata.namespace || namespace } }));
  }
  if (!policies.length) throw new UsageError('the proposal holds no NetworkPolicy');
  if (policies.length > MAX_PROPOSED_POLICIES) throw new UsageError(`the proposal holds more than ${MAX_PROPOSED_POLICIES} NetworkPolicies`);
  return policies;
}

/** What evaluate() needs: the stored model (JSON text, as kept) and the proposal as the client sent it. */
export interface ProposalInput {
  cluster: string;
  scannedAt: number;
  topology: string;
  policies: string;
  namespace: string;
}

/** The evaluation itself (pure: no store, no I/O); runs on a worker thread (proposal-worker.ts). */
export function evaluateProposal(input: ProposalInput): ProposalView {
  const topology = JSON.parse(input.topology) as NetTopology;
  const proposed = proposedPolicies(input.policies, input.namespace);
  const key = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  const existing = new Set(topology.policies.map(key));
  const replaced = new Set(proposed.map(key));
  const before = clusterFromTopology(topology);
  const after = clusterFromTopology(topology, [...topology.policies.filter((p) => !replaced.has(key(p))), ...proposed]);
  const r = diff(before, after);
  const change = (c: ConnChange, connections: string): ProposalChange => ({ from: endpoint(c.src), to: endpoint(c.dst), connections, before: c.before, after: c.after });
  return {
    cluster: input.cluster,
    scannedAt: new Date(input.scannedAt).toISOString(),
    policies: proposed.map((p) => ({ namespace: p.metadata!.namespace!, name: p.metadata!.name!, replaces: existing.has(key(p)) })),
    gained: r.newlyAllowed.slice(0, MAX_LISTED_CHANGES).map((c) => change(c, c.added ?? '')),
    lost: r.newlyDenied.slice(0, MAX_LISTED_CHANGES).map((c) => change(c, c.removed ?? '')),
    counts: { gained: r.newlyAllowed.length, lost: r.newlyDenied.length },
    truncated: r.newlyAllowed.length > MAX_LISTED_CHANGES || r.newlyDenied.length > MAX_LISTED_CHANGES,
    warnings: after.warnings,
  };
}

/**
 * Evaluations run on worker threads, so the server keeps answering while one diffs (about a second for 5,000
 * workloads): at most MAX_RUNNING at a time (others are asked to come back: 429), each within a time and memory
 * budget (over it: the worker is ended and the client told, 422).
 */
let running = 0;
export const PROPOSAL_BUDGET = { maxRunning: 2, timeoutMs: 30_000, memoryMb: 512 };

export async function proposePolicies(store: Store, input: { cluster?: string; namespace?: string; policies: string }): Promise<ProposalView> {
  if (running >= PROPOSAL_BUDGET.maxRunning) throw new BusyError('other proposed policies are being evaluated: try again in a few seconds', 2);
  running++;
  try {
    if (input.policies.length > MAX_PROPOSAL_CHARS) throw new UsageError(`the proposal is longer than ${MAX_PROPOSAL_CHARS} characters`);
    const cluster = input.cluster ?? (await inventoryClusters(store))[0]?.cluster;
    const row = cluster === undefined ? undefined : await inventoryTopology(store, cluster);
    if (!row) throw new NotFoundError(`no network data${input.cluster ? ` for cluster ${input.cluster}` : ''}: upload a whole-cluster scan (kubeguard scan --cluster --upload)`);
    if (!row.topology) throw new NotFoundError(`the latest scan of cluster ${row.cluster} was uploaded by a kubeguard without the network model: scan it again with this version to evaluate a proposal`);
    return await onWorker({ cluster: row.cluster, scannedAt: Number(row.scanned_at), topology: row.topology, policies: input.policies, namespace: input.namespace ?? 'default' });
  } finally {
    running--;
  }
}

/** One worker per evaluation: ended when it answers, or when it runs over its budget. */
function onWorker(input: ProposalInput): Promise<ProposalView> {
  const worker = startModuleWorker(new URL('./proposal-worker.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: PROPOSAL_BUDGET.memoryMb } });
  return new Promise<ProposalView>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      f();
    };
    const timer = setTimeout(() => settle(() => reject(new BudgetError(`the evaluation took longer than ${PROPOSAL_BUDGET.timeoutMs / 1000} s: the cluster's network is too large to evaluate here (kubeguard netpol diff evaluates it locally)`))), PROPOSAL_BUDGET.timeoutMs);
    worker.once('message', (m: WorkerAnswer) =>
      settle(() => {
        if ('view' in m) resolve(m.view);
        else reject(m.usage ? new UsageError(m.message) : new Error(m.message));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      settle(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new BudgetError(`the evaluation needed more than ${PROPOSAL_BUDGET.memoryMb} MiB: the cluster's network is too large to evaluate here (kubeguard netpol diff evaluates it locally)`) : e)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`the proposal worker exited (${code}) without an answer`))));
    worker.postMessage(input);
  });
}

/** What the worker answers: the view, or an error (a UsageError's message is the client's to read). */
export type WorkerAnswer = { view: ProposalView } | { message: string; usage: boolean };
