/**
 * Types of the attack-path graph: typed nodes, typed edges each with its evidence, a MITRE ATT&CK technique, how
 * likely the step is to work, and the changes that would remove it (the candidates of the cut).
 *
 * Node ids, as the JSON shows them: `internet`, `incidents` (workloads with runtime incidents), `cluster-admin`,
 * `secrets`, `nodes` (root on a node), `Kind/namespace/name` (a workload: code execution in its pods),
 * `Kind/namespace/name#container` (a listening container an attacker can reach), `sa:namespace/name`,
 * `user:NAME`, `group:NAME`, `Secret/namespace/name`, and the escalation graph's rights hubs (`pods:ci`, …).
 */

export type NodeType = 'entry' | 'workload' | 'container' | 'serviceaccount' | 'identity' | 'role' | 'node' | 'secret' | 'target';

export interface AttackNode {
  id: string;
  type: NodeType;
  label: string;
}

export type EdgeType =
  | 'exposure'
  | 'network'
  | 'exploit'
  | 'token-theft'
  | 'rbac'
  | 'exec'
  | 'pod-create'
  | 'escape'
  | 'node-credentials'
  | 'incident';

export interface Technique {
  id: string;
  name: string;
}

/** MITRE ATT&CK (Enterprise and Containers matrices) techniques the edges map to. */
export const TECHNIQUES = {
  exploitPublic: { id: 'T1190', name: 'Exploit Public-Facing Application' },
  remoteServices: { id: 'T1210', name: 'Exploitation of Remote Services' },
  validAccounts: { id: 'T1078', name: 'Valid Accounts' },
  stealToken: { id: 'T1528', name: 'Steal Application Access Token' },
  unsecuredCredentials: { id: 'T1552.007', name: 'Unsecured Credentials: Container API' },
  containerAdmin: { id: 'T1609', name: 'Container Administration Command' },
  deployContainer: { id: 'T1610', name: 'Deploy Container' },
  escapeToHost: { id: 'T1611', name: 'Escape to Host' },
  accountManipulation: { id: 'T1098', name: 'Account Manipulation' },
  lateral: { id: 'T1021', name: 'Remote Services' },
} as const satisfies Record<string, Technique>;

/** One object patch: RFC 6902 operations on the object named `Kind/namespace/name` (absent: the object is created). */
export interface ObjectPatch {
  object: string;
  operations: JsonPatchOperation[];
}

export type JsonPatchOperation =
  | { op: 'add' | 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** A change that removes edges: "stop mounting the token of Deployment/shop/web". */
export interface Change {
  /** Stable key: edges sharing a change are removed together by it. */
  key: string;
  change: string;
  patch: ObjectPatch[];
}

export interface AttackEdge {
  from: string;
  to: string;
  edge: EdgeType;
  evidence: string;
  technique: Technique;
  /** How likely the step works for an attacker, in (0, 1]; a path's score is the product. */
  likelihood: number;
  /** Any one of these changes removes the edge (empty: nothing we know of does, short of deleting objects). */
  changes: Change[];
}

export const TARGETS = ['cluster-admin', 'secrets', 'nodes'] as const;
export type TargetId = (typeof TARGETS)[number];

export const ENTRY_INTERNET = 'internet';
export const ENTRY_INCIDENTS = 'incidents';

export interface Hop {
  from: string;
  to: string;
  edge: EdgeType;
  evidence: string;
  technique: Technique;
}

export interface AttackPath {
  from: string;
  to: string;
  hops: Hop[];
  score: number;
}

export interface CutChange {
  change: string;
  patch: ObjectPatch[];
  /** Number of the reported paths this change breaks. */
  breaks: number;
}
