/**
 * The non-RBAC facts the escalation analysis needs: namespaces (and their Pod Security enforce level),
 * service accounts, legacy service-account token Secrets, and workloads with the service account they run
 * as and whether its token is mounted. Secret values are never read.
 */
import type { KubeObject, ResourceRef } from '../../core/model.js';
import { podTemplateOf } from '../../core/podspec.js';
import { namespaceOf, refOf } from '../../core/ref.js';
import type { RbacIndex } from './rbac-index.js';
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

export class ClusterFacts {
  readonly namespaces = new Set<string>();
  /** Namespace → Pod Security enforce level, for Namespace objects in the input. */
  readonly enforceLevel = new Map<string, string>();
  readonly serviceAccounts = new Map<string, ServiceAccountFact>();
  readonly workloads: WorkloadFact[] = [];
  readonly tokenSecrets: TokenSecretFact[] = [];

  constructor(objects: readonly KubeObject[], index: Pick<RbacIndex, 'bindings'>) {
    const declaredSAs: KubeObject[] = [];
    const podObjects: KubeObject[] = [];
    for (const o of objects) {
      const ns = namespaceOf(o);
      if (o.kind === 'Namespace' && o.metadata?.name) {
        this.namespaces.add(o.metadata.name);
        const level = o.metadata.labels?.[PSA_ENFORCE_LABEL];
        if (level) this.enforceLevel.set(o.metadata.name, level);
        continue;
      }
      if (ns) this.namespaces.add(ns);
      if (o.kind === 'ServiceAccount') declaredSAs.push(o);
      else if (o.kind === 'Secret' && o.type === SA_TOKEN_SECRET_TYPE && ns && o.metadata?.name) {
        const sa = o.metadata.annotations?.[SA_NAME_ANNOTATION];
        if (sa) this.tokenSecrets.push({ namespace: ns, name: o.metadata.name, serviceAccount: sa });
      } else if (podTemplateOf(o)) podObjects.push(o);
    }
    for (const o of declaredSAs) {
      const ns = namespaceOf(o) ?? 'default';
      const name = o.metadata?.name;
      if (!name) continue;
      const fact: ServiceAccountFact = { id: `sa:${ns}/${name}`, namespace: ns, name, declared: true };
      if (typeof o.automountServiceAccountToken === 'boolean') fact.automountServiceAccountToken = o.automountServiceAccountToken;
      this.serviceAccounts.set(`${ns}/${name}`, fact);
    }
    for (const b of index.bindings) {
      if (b.binding.namespace) this.namespaces.add(b.binding.namespace);
      for (const s of b.binding.subjects) {
        if (s.kind === 'ServiceAccount' && s.namespace) {
          this.namespaces.add(s.namespace);
          this.noteServiceAccount(s.namespace, s.name);
        }
      }
    }
    for (const o of podObjects) this.addWorkload(o);
    // Every namespace has a "default" service account (created by the service account controller).
    for (const ns of this.namespaces) this.noteServiceAccount(ns, 'default');
    for (const t of this.tokenSecrets) this.noteServiceAccount(t.namespace, t.serviceAccount);
  }

  private noteServiceAccount(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    if (!this.serviceAccounts.has(key)) this.serviceAccounts.set(key, { id: `sa:${key}`, namespace, name, declared: false });
  }

  private addWorkload(o: KubeObject): void {
    const t = podTemplateOf(o);
    if (!t) return;
    const ns = namespaceOf(o) ?? 'default';
    const saName =
      (typeof t.spec.serviceAccountName === 'string' && t.spec.serviceAccountName) ||
      (typeof t.spec.serviceAccount === 'string' && t.spec.serviceAccount) ||
      'default';
    this.noteServiceAccount(ns, saName);
    const sa = this.serviceAccounts.get(`${ns}/${saName}`);
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
    this.workloads.push({ ref: refOf(o), namespace: ns, serviceAccount: saName, tokenMounted, tokenReason, specPath: t.specPath });
  }

  private saByNamespace?: Map<string, ServiceAccountFact[]>;
  private workloadByKey?: Map<string, WorkloadFact>;
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

  /** The workload fact of an object (kind, effective namespace, name). */
  workloadOf(kind: string, namespace: string, name: string): WorkloadFact | undefined {
    if (!this.workloadByKey) {
      this.workloadByKey = new Map();
      for (const w of this.workloads) this.workloadByKey.set(`${w.ref.kind}/${w.namespace}/${w.ref.name}`, w);
    }
    return this.workloadByKey.get(`${kind}/${namespace}/${name}`);
  }

  serviceAccountsIn(namespace: string): readonly ServiceAccountFact[] {
    if (!this.saByNamespace) {
      this.saByNamespace = new Map();
      for (const sa of this.serviceAccounts.values()) {
        const list = this.saByNamespace.get(sa.namespace);
        if (list) list.push(sa);
        else this.saByNamespace.set(sa.namespace, [sa]);
      }
    }
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
