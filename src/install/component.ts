/**
 * The contract every in-cluster part of kubeguard implements to be installed by `kubeguard install`.
 * A component returns its own objects (workloads, RBAC, Services, NetworkPolicies, PDBs…) for the namespace it is
 * handed; the bundle (bundle.ts) adds the namespaces, their Pod Security labels, a default-deny NetworkPolicy per
 * namespace, the declared host exceptions, and lays everything out as a Kustomize base.
 */
import type { KubeObject } from '../core/model.js';
import type { Rule } from '../core/rule.js';
import { TOOL } from '../engine/report.js';

export const DEFAULT_IMAGE = `ghcr.io/kubeguard/kubeguard:${TOOL.version}`;

export const AGENT_MODES = ['watch', 'cronjob'] as const;
export type AgentMode = (typeof AGENT_MODES)[number];

export interface InstallSettings {
  /** Namespace this component's objects go to (the restricted one, or the host one for host parts). */
  namespace: string;
  /** The restricted namespace (where the webhook and server run), for parts that talk to them. */
  mainNamespace: string;
  /** The image every part runs (by digest when the user gave one). */
  image: string;
  /** Replicas of replicated parts (≥ 2 keeps them available through a node drain). */
  replicas: number;
  /** Serving certificates from cert-manager instead of generated keys in the manifests. */
  certManager: boolean;
  /** Admission webhook failure policy. */
  failurePolicy: 'Fail' | 'Ignore';
  /** Validity of generated certificates. */
  validDays: number;
  /** The agent: a watching Deployment (passes hourly and on changes) or an hourly CronJob. */
  agentMode: AgentMode;
  catalog: readonly Rule[];
  now: Date;
}

/** A Pod Security rule a host part cannot satisfy, and why it needs the host. */
export interface HostException {
  rules: string[];
  reason: string;
}

export interface InstallComponent {
  /** The name `--components` takes. */
  name: string;
  summary: string;
  /** What it needs from the cluster, each with why (shown by `kubeguard install --list`, kept in docs/install.md). */
  needs: string[];
  /**
   * 'restricted': runs in the main namespace under Pod Security "restricted" and passes the pss-restricted preset.
   * 'host': needs the node (host namespaces, hostPath…); runs in `<namespace>-node` (enforce "privileged") and
   * declares every rule it cannot meet in `hostExceptions`.
   */
  placement: 'restricted' | 'host';
  hostExceptions?: HostException[];
  manifests(settings: InstallSettings): Promise<KubeObject[]>;
}
