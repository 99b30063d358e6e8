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

export interface GraphEdge {
  from: string;
  to: string;
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
