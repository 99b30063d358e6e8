/**
 * The non-RBAC facts the escalation analysis needs: namespaces (and their Pod Security enforce level),
 * service accounts, legacy service-account token Secrets, and workloads with the service account they run
 * as and whether its token is mounted. Secret values are never read.
 */
import type { KubeObject, ResourceRef } from '../../core/model.js';
import { podTemplateOf } from '../../core/podspec.js';
import { namespaceOf, refOf } from '../../core/ref.js';
import type { RbacBinding } from './types.js';
import { isJsonMap as isMap } from '../../core/json.js';

export const PSA_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const SA_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';

export interface ServiceAccountFact {
  /** Identity key: sa:NAMESPACE/NAME. */
  id: string;
  namespace: string;
  name: string;
  /** From the ServiceAccount object, when present. */
  automountServiceAccountToken?: boolean;
  /** The ServiceAccount object is in the input (otherwise it is inferred from a reference). */
  declared: boolean;
}

export interface WorkloadFact {
  ref: ResourceRef;
  namespace: string;
  serviceAccount: string;
  /** Whether the pod gets an API token (automount or a projected serviceAccountToken volume). */
  tokenMounted: boolean;
  /** Why tokenMounted has its value, in words. */
  tokenReason: string;
  /** JSON pointer to the pod spec inside the object. */
  specPath: string;
}

export interface TokenSecretFact {
  namespace: string;
  name: string;
  serviceAccount: string;
}

function hasProjectedToken(volumes: unknown): boolean {
  if (!Array.isArray(volumes)) return false;
  return volumes.some(
    (v) =>
      isMap(v) &&
      isMap(v.projected) &&
      Array.isArray(v.projected.sources) &&
      v.projected.sources.some((s) => isMap(s) && isMap(s.serviceAccountToken)),
  );
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it);
    else out.set(k, [it]);
  }
  return out;
}

/**
 * Namespaces, Namespace enforce levels, declared service accounts and token Secrets are read in one pass; the
 * workload and service-account lists are built on first use, since a scan that asks about a few workloads
 * (workloadFactOf) should not pay for facts about every pod-bearing object of the cluster.
 */
export class ClusterFacts {
  readonly namespaces = new Set<string>();
  /** Namespace → Pod Security enforce level, for Namespace objects in the input. */
  readonly enforceLevel = new Map<string, string>();
  readonly tokenSecrets: TokenSecretFact[] = [];
  /** ServiceAccount objects of the input, by "namespace/name". */
  private readonly declaredSAs = new Map<string, ServiceAccountFact>();
  private readonly podObjects: KubeObject[] = [];
  /** Service accounts named as binding subjects, as [namespace, name]. */
  private readonly boundSAs: [string, string][] = [];
  private workloadList?: WorkloadFact[];
  private saMap?: Map<string, ServiceAccountFact>;

  constructor(objects: readonly KubeObject[], index: { readonly bindings: readonly { binding: RbacBinding }[] }) {
    for (const o of objects) {
      const ns = namespaceOf(o);
      if (o.kind === 'Namespace' && o.metadata?.name) {
        this.namespaces.add(o.metadata.name);
        const level = o.metadata.labels?.[PSA_ENFORCE_LABEL];
        if (level) this.enforceLevel.set(o.metadata.name, level);
        continue;
      }
      if (ns) this.namespaces.add(ns);
      if (o.kind === 'ServiceAccount') this.declare(o);
      else if (o.kind === 'Secret' && o.type === SA_TOKEN_SECRET_TYPE && ns && o.metadata?.name) {
        const sa = o.metadata.annotations?.[SA_NAME_ANNOTATION];
        if (sa) this.tokenSecrets.push({ namespace: ns, name: o.metadata.name, serviceAccount: sa });
      } else if (podTemplateOf(o)) this.podObjects.push(o);
    }
    for (const b of index.bindings) {
      if (b.binding.namespace) this.namespaces.add(b.binding.namespace);
      for (const s of b.binding.subjects) {
        if (s.kind === 'ServiceAccount' && s.namespace) {
          this.namespaces.add(s.namespace);
          this.boundSAs.push([s.namespace, s.name]);
        }
      }
    }
  }

  private declare(o: KubeObject): void {
    const ns = namespaceOf(o) ?? 'default';
    const name = o.metadata?.name;
    if (!name) return;
    const fact: ServiceAccountFact = { id: `sa:${ns}/${name}`, namespace: ns, name, declared: true };
    if (typeof o.automountServiceAccountToken === 'boolean') fact.automountServiceAccountToken = o.automountServiceAccountToken;
    this.declaredSAs.set(`${ns}/${name}`, fact);
  }

  /** Objects the facts were drawn from (pod-bearing, ServiceAccounts, token Secrets): a measure of graph size. */
  get objectCount(): number {
    return this.podObjects.length + this.declaredSAs.size + this.tokenSecrets.length;
  }

  /** Workloads (pod-bearing objects) with the service account they run as. */
  get workloads(): readonly WorkloadFact[] {
    return (this.workloadList ??= this.podObjects.map((o) => this.workloadFactOf(o)!));
  }

  /**
   * Every service account known: declared, named by a binding, run as by a workload, each namespace's
   * "default" (created by the service account controller), and those of token Secrets.
   */
  get serviceAccounts(): ReadonlyMap<string, ServiceAccountFact> {
    if (this.saMap) return this.saMap;
    const map = new Map(this.declaredSAs);
    const note = (namespace: string, name: string): void => {
      const key = `${namespace}/${name}`;
      if (!map.has(key)) map.set(key, { id: `sa:${key}`, namespace, name, declared: false });
    };
    for (const [ns, name] of this.boundSAs) note(ns, name);
    for (const w of this.workloads) note(w.namespace, w.serviceAccount);
    for (const ns of this.namespaces) note(ns, 'default');
    for (const t of this.tokenSecrets) note(t.namespace, t.serviceAccount);
    return (this.saMap = map);
  }

  /** The workload fact of one pod-bearing object (undefined for other objects). */
  workloadFactOf(o: KubeObject): WorkloadFact | undefined {
    const t = podTemplateOf(o);
    if (!t) return undefined;
    const ns = namespaceOf(o) ?? 'default';
    const saName =
      (typeof t.spec.serviceAccountName === 'string' && t.spec.serviceAccountName) ||
      (typeof t.spec.serviceAccount === 'string' && t.spec.serviceAccount) ||
      'default';
    const sa = this.declaredSAs.get(`${ns}/${saName}`);
    let tokenMounted: boolean;
    let tokenReason: string;
    // Pod spec wins over the ServiceAccount (pkg/serviceaccount admission plugin); default is to mount.
    if (typeof t.spec.automountServiceAccountToken === 'boolean') {
      tokenMounted = t.spec.automountServiceAccountToken;
      tokenReason = `pod spec sets automountServiceAccountToken: ${tokenMounted}`;
    } else if (sa?.automountServiceAccountToken !== undefined) {
      tokenMounted = sa.automountServiceAccountToken;
      tokenReason = `ServiceAccount ${ns}/${saName} sets automountServiceAccountToken: ${tokenMounted}`;
    } else {
      tokenMounted = true;
      tokenReason = 'token is automounted by default';
    }
    if (!tokenMounted && hasProjectedToken(t.spec.volumes)) {
      tokenMounted = true;
      tokenReason = 'a projected serviceAccountToken volume mounts a token';
    }
    return { ref: refOf(o), namespace: ns, serviceAccount: saName, tokenMounted, tokenReason, specPath: t.specPath };
  }

  private saByNamespace?: Map<string, ServiceAccountFact[]>;
  private workloadsByNs?: Map<string, WorkloadFact[]>;
  private tokenSecretsByNs?: Map<string, TokenSecretFact[]>;

  /** Workloads of a namespace ("*" for all). */
  workloadsIn(namespace: string): readonly WorkloadFact[] {
    if (namespace === '*') return this.workloads;
    this.workloadsByNs ??= groupBy(this.workloads, (w) => w.namespace);
    return this.workloadsByNs.get(namespace) ?? [];
  }

  /** Legacy token Secrets of a namespace ("*" for all). */
  tokenSecretsIn(namespace: string): readonly TokenSecretFact[] {
    if (namespace === '*') return this.tokenSecrets;
    this.tokenSecretsByNs ??= groupBy(this.tokenSecrets, (t) => t.namespace);
    return this.tokenSecretsByNs.get(namespace) ?? [];
  }

  serviceAccountsIn(namespace: string): readonly ServiceAccountFact[] {
    this.saByNamespace ??= groupBy([...this.serviceAccounts.values()], (sa) => sa.namespace);
    return this.saByNamespace.get(namespace) ?? [];
  }

  /**
   * Whether Pod Security admission would reject a privileged pod in the namespace: true when the Namespace
   * object in the input enforces baseline or restricted. Unknown namespaces are not assumed protected.
   */
  blocksPrivilegedPods(namespace: string): boolean {
    const level = this.enforceLevel.get(namespace);
    return level === 'baseline' || level === 'restricted';
  }
}

/**
 * The workload fact of a pod-bearing object considered alone (no ServiceAccount objects or bindings beside it),
 * as a ClusterFacts of just that object would give it, without building anything else.
 */
export function workloadFactAlone(o: KubeObject): WorkloadFact | undefined {
  return new ClusterFacts([o], { bindings: [] }).workloadFactOf(o);
}
