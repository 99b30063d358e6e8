/** Types of the escalation graph: identities, hubs (intermediate footholds) and capabilities. */
import type { Severity } from '../../../core/model.js';
import type { SubjectKind } from '../types.js';

export type CapabilityId = 'cluster-admin' | 'secrets' | 'node';

export const CAPABILITIES: Record<CapabilityId, string> = {
  'cluster-admin': 'cluster-admin equivalent',
  secrets: 'read all secrets',
  node: 'root on a node',
};

export const CAPABILITY_IDS = Object.keys(CAPABILITIES) as CapabilityId[];

export type NodeType = 'identity' | 'hub' | 'capability';

export interface GraphNode {
  id: string;
  type: NodeType;
  label: string;
  /** For identities. */
  subject?: { kind: SubjectKind; name: string; namespace?: string };
}

/** What an escalation step is, for analyses that build on the graph (attack paths type and cut its edges). */
export type EdgeKind =
  | 'superuser'
  | 'membership'
  | 'holds'
  | 'ability'
  | 'mount-sa'
  | 'request-token'
  | 'impersonate'
  | 'exec'
  | 'read-token-secret'
  | 'privileged-pod'
  | 'bind'
  | 'escalate'
  | 'csr'
  | 'hostpath-pv'
  | 'nodes-proxy'
  | 'namespace-admin';

/** One (binding, subject) pair granting an ability: removing the subject from the binding withdraws that grant. */
export interface GrantRef {
  /** "RoleBinding/ns/name" or "ClusterRoleBinding/name". */
  binding: string;
  /** The identity the binding names (user:…, group:…, sa:ns/name). */
  subject: string;
}

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /**
   * The grants the step needs, one list per ability it uses: each list holds every grant of that ability to the acting
   * identity (or the group it was merged from), so withdrawing every grant of one list removes the step. Absent for
   * steps that need no grant of their own (membership, what a hub leads to).
   */
  grants?: GrantRef[][];
  /** The object the step acts on, as Kind/namespace/name: the workload exec'd into, the token Secret read, the Namespace. */
  object?: string;
  /** What the attacker does, in words ("create a pod in ci"). */
  action: string;
  /** The permission used ("create pods in namespace ci"). */
  permission: string;
  /** What grants it ("RoleBinding/ci/devs → Role/pod-creator", "ServiceAccount/ci/deployer"). */
  via: string;
}

export interface PathStep {
  /** The identity acting at this step (user:…, group:…, sa:ns/name). */
  subject: string;
  action: string;
  permission: string;
  via: string;
}

export interface EscalationPath {
  from: { kind: SubjectKind; name: string; namespace?: string };
  to: CapabilityId;
  /** How serious reaching `to` from `from` is (escalation/severity.ts), the same as scan's findings. */
  severity: Severity;
  steps: PathStep[];
}

export function capNode(c: CapabilityId): string {
  return `cap:${c}`;
}
