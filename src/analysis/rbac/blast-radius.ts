/**
 * Blast radius of a workload: the service account its pods run as, whether that account's token is in the
 * pod, what the token allows directly and where it leads through escalation. This is what an attacker who
 * compromises one container gets.
 */
import { UsageError } from '../../core/errors.js';
import type { Severity } from '../../core/model.js';
import { severityRank } from '../../core/model.js';
import type { AbilityLine } from './ability-summary.js';
import { dangerousAbilities } from './ability-summary.js';
import type { WorkloadFact } from './cluster-facts.js';
import type { ShortestPaths } from './escalation/paths.js';
import type { EscalationPath } from './escalation/model.js';
import { CAPABILITIES, CAPABILITY_IDS } from './escalation/model.js';
import { userInfoOf } from './identity.js';
import type { SubjectPermissions } from './permissions.js';
import { permissionsOf } from './permissions.js';
import type { RbacIndex } from './rbac-index.js';

export interface WorkloadId {
  kind: string;
  namespace: string;
  name: string;
}

export interface BlastRadius {
  workload: WorkloadId;
  serviceAccount: { namespace: string; name: string; declared: boolean };
  tokenMounted: boolean;
  tokenReason: string;
  /** Dangerous abilities held directly through the account's (and its groups') bindings. */
  abilities: AbilityLine[];
  permissions: SubjectPermissions;
  /** Shortest path to each capability the account reaches. */
  escalation: EscalationPath[];
  /**
   * What a compromised container gets, graded as scan grades it: the most serious path of the account when its
   * token is mounted; low when the account reaches something but the pod holds no token; info when nothing.
   */
  severity: Severity;
  summary: string;
}

/** Parses "NS/KIND/NAME" (KIND case-insensitive). */
export function parseWorkloadId(text: string): WorkloadId {
  const parts = text.split('/');
  if (parts.length !== 3 || parts.some((p) => !p)) throw new UsageError(`invalid workload "${text}": use NAMESPACE/KIND/NAME`);
  return { namespace: parts[0], kind: parts[1], name: parts[2] };
}

export function findWorkload(index: RbacIndex, id: WorkloadId): WorkloadFact | undefined {
  const kind = id.kind.toLowerCase();
  return index.facts.workloads.find(
    (w) => w.namespace === id.namespace && w.ref.name === id.name && (w.ref.kind.toLowerCase() === kind || `${w.ref.kind.toLowerCase()}s` === kind),
  );
}

export function blastRadius(index: RbacIndex, paths: ShortestPaths, id: WorkloadId): BlastRadius {
  const w = findWorkload(index, id);
  if (!w) throw new UsageError(`workload ${id.namespace}/${id.kind}/${id.name} not found in the input`);
  const sa = { kind: 'ServiceAccount' as const, namespace: w.namespace, name: w.serviceAccount };
  const info = userInfoOf(sa);
  const abilities = dangerousAbilities(index, info);
  const saKey = `sa:${w.namespace}/${w.serviceAccount}`;
  const escalation = CAPABILITY_IDS.map((c) => paths.pathFrom(saKey, c)).filter((p): p is EscalationPath => p !== undefined);
  const declared = index.facts.serviceAccounts.get(`${w.namespace}/${w.serviceAccount}`)?.declared ?? false;
  return {
    workload: { kind: w.ref.kind, namespace: w.namespace, name: w.ref.name },
    serviceAccount: { namespace: w.namespace, name: w.serviceAccount, declared },
    tokenMounted: w.tokenMounted,
    tokenReason: w.tokenReason,
    abilities,
    permissions: permissionsOf(index, sa),
    escalation,
    severity: w.tokenMounted ? maxSeverity(escalation.map((p) => p.severity)) : escalation.length ? 'low' : 'info',
    summary: summarise(w, abilities, escalation),
  };
}

function maxSeverity(list: readonly Severity[]): Severity {
  return list.reduce<Severity>((m, s) => (severityRank(s) > severityRank(m) ? s : m), 'info');
}

function summarise(w: WorkloadFact, abilities: AbilityLine[], escalation: EscalationPath[]): string {
  const who = `${w.ref.kind} ${w.namespace}/${w.ref.name} runs as service account ${w.namespace}/${w.serviceAccount}`;
  const token = w.tokenMounted
    ? `its API token is mounted (${w.tokenReason}), so a compromised container can use these rights`
    : `its API token is not mounted (${w.tokenReason}), so a compromised container has no API credentials of its own; the rights below apply only if a token is obtained another way`;
  const direct = abilities.length
    ? `Directly it can: ${abilities.map((a) => `${a.words} [${a.scope}]`).join('; ')}.`
    : 'It holds no dangerous permissions directly.';
  const reach = escalation.length
    ? `Through escalation it reaches: ${escalation.map((p) => `${CAPABILITIES[p.to]} in ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}`).join(', ')}.`
    : 'No escalation path to cluster-admin, all secrets or node root was found.';
  return `${who}; ${token}. ${direct} ${reach}`;
}
