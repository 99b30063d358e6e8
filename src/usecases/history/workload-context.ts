/**
 * What the dashboard shows about a workload beside its findings: its service account's RBAC power and escalation
 * paths (from the latest whole-cluster scan), and its runtime baseline (uploaded for the cluster with
 * `PUT /api/v1/baselines`). Each answers `null` when nothing was recorded, never an empty "all clear".
 */
import { UsageError } from '../../core/errors.js';
import { severityRank, type Severity } from '../../core/model.js';
import type { ContainerBaseline } from '../../analysis/runtime/baseline.js';
import { parseBaseline } from '../../sources/events/baseline-file.js';
import { writeAudit } from '../../sources/store/audit.js';
import { baselineOf, baselineWorkload, replaceBaseline } from '../../sources/store/baselines.js';
import { inventoryScan, workloadAccount } from '../../sources/store/inventory.js';
import type { Store } from '../../sources/store/open.js';
import type { AccountPower } from '../../sources/upload/format.js';

/** The largest baseline accepted (a baseline of 20,000 workloads stays far below it). */
export const MAX_BASELINE_BYTES = 32 * 1024 * 1024;

export interface BaselineSummary {
  uploadedAt: string;
  locked: boolean;
  learned: { from?: string; until?: string; events: number; lockedAt?: string };
  workloads: number;
}

export async function storeBaseline(store: Store, input: { cluster: string; text: string; now: Date; actor: string; remote?: string }): Promise<BaselineSummary & { cluster: string }> {
  if (input.text.length > MAX_BASELINE_BYTES) throw new UsageError(`the baseline is larger than ${MAX_BASELINE_BYTES} bytes`);
  // a ConfigError (a UsageError: 400) names the field, never its value
  const baseline = parseBaseline(input.text, 'upload');
  await replaceBaseline(store, input.cluster, baseline, input.now.getTime());
  await writeAudit(store.db, { actor: input.actor, action: 'baseline.upload', target: `cluster:${input.cluster}`, detail: { workloads: baseline.workloads.length, locked: baseline.locked }, remote: input.remote }, input.now.getTime());
  return { cluster: input.cluster, ...(await baselineSummary(store, input.cluster))! };
}

export async function baselineSummary(store: Store, cluster: string): Promise<BaselineSummary | undefined> {
  const b = await baselineOf(store, cluster);
  if (!b) return undefined;
  return { uploadedAt: new Date(Number(b.uploaded_at)).toISOString(), locked: Number(b.locked) === 1, learned: JSON.parse(b.learned) as BaselineSummary['learned'], workloads: Number(b.workloads) };
}

export interface WorkloadBaselineView {
  cluster: string;
  /** The cluster's baseline, when one was uploaded. */
  clusterBaseline: BaselineSummary | null;
  /** This workload's entry in it. */
  baseline: { kind: string | null; locked: boolean; containers: Record<string, ContainerBaseline> } | null;
}

export async function workloadBaselineView(store: Store, cluster: string, namespace: string, workload: string): Promise<WorkloadBaselineView> {
  const clusterBaseline = (await baselineSummary(store, cluster)) ?? null;
  const row = clusterBaseline ? await baselineWorkload(store, cluster, namespace, workload) : undefined;
  return { cluster, clusterBaseline, baseline: row ? { kind: row.kind, locked: Number(row.locked) === 1, containers: JSON.parse(row.containers) as Record<string, ContainerBaseline> } : null };
}

export interface WorkloadAccessView {
  cluster: string;
  /** When the latest whole-cluster scan ran (null: none uploaded). */
  scannedAt: string | null;
  access: {
    serviceAccount: { namespace: string; name: string; declared: boolean };
    tokenMounted: boolean;
    tokenReason: string;
    abilities: AccountPower['abilities'];
    escalation: AccountPower['escalation'];
    /** As `rbac blast-radius` grades it: the worst path when the token is in the pod; low with paths but no token; info. */
    severity: Severity;
  } | null;
}

export async function workloadAccessView(store: Store, cluster: string, namespace: string, kind: string, name: string): Promise<WorkloadAccessView> {
  const scan = await inventoryScan(store, cluster);
  const found = scan ? await workloadAccount(store, cluster, namespace, kind, name) : undefined;
  if (!scan || !found) return { cluster, scannedAt: scan ? new Date(Number(scan.scanned_at)).toISOString() : null, access: null };
  const { account, power } = found;
  const escalation = power?.escalation ?? [];
  const tokenMounted = Number(account.token_mounted) === 1;
  const worst = escalation.reduce<Severity>((w, p) => (severityRank(p.severity) > severityRank(w) ? p.severity : w), 'info');
  return {
    cluster,
    scannedAt: new Date(Number(scan.scanned_at)).toISOString(),
    access: {
      serviceAccount: { namespace, name: account.service_account, declared: Number(account.account_declared) === 1 },
      tokenMounted,
      tokenReason: account.token_reason,
      abilities: power?.abilities ?? [],
      escalation,
      severity: tokenMounted ? worst : escalation.length ? 'low' : 'info',
    },
  };
}
