/**
 * The RBAC index: every Role/ClusterRole (with aggregation resolved), every binding resolved to its role,
 * and the lookups the queries need (bindings by role and namespace, bindings by subject, roles by
 * (verb, resource)). Built once; every query after that reads it.
 */
import type { KubeObject, Resource } from '../../core/model.js';
import { aggregateClusterRoles } from './aggregation.js';
import { BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './bootstrap-policy.js';
import { ClusterFacts } from './cluster-facts.js';
import { subjectKey } from './identity.js';
import { parseBinding, parseRole } from './parse.js';
import { RuleIndex } from './rule-index.js';
import type { PolicyRule, RbacBinding, RbacRole } from './types.js';
import { bindingKey, roleKey, roleLabel } from './types.js';

export interface RbacIndexOptions {
  /** Add Kubernetes' default bootstrap ClusterRoles/ClusterRoleBindings (default true). Input objects win. */
  bootstrap?: boolean;
}

export interface IndexedRole {
  role: RbacRole;
  key: string;
  /** Effective rules (aggregation applied). */
  rules: PolicyRule[];
}

export interface IndexedBinding {
  binding: RbacBinding;
  /** "RoleBinding/ns/name" or "ClusterRoleBinding/name". */
  key: string;
  /** Key of the referenced role (Role/ns/name or ClusterRole/name). */
  roleKey: string;
  /** "Role/name" or "ClusterRole/name", the who-can display form. */
  roleLabel: string;
  /** The role exists (in the input or bootstrap policy). A dangling binding grants nothing. */
  resolved: boolean;
}

interface RoleBindings {
  cluster: IndexedBinding[];
  byNamespace: Map<string, IndexedBinding[]>;
}

function toObject(x: Resource | KubeObject): KubeObject {
  return typeof (x as Resource).ref === 'object' && typeof (x as Resource).object === 'object'
    ? (x as Resource).object
    : (x as KubeObject);
}

export class RbacIndex {
  readonly roles = new Map<string, IndexedRole>();
  readonly bindings: IndexedBinding[] = [];
  readonly facts: ClusterFacts;
  readonly bootstrapEnabled: boolean;
  private readonly bindingsByRole = new Map<string, RoleBindings>();
  private readonly bindingsBySubject = new Map<string, IndexedBinding[]>();
  private readonly clusterRuleIndex = new RuleIndex();
  private readonly namespaceRuleIndex = new Map<string, RuleIndex>();
  /** Roles of every namespace in one index, for "in any namespace" queries. */
  private readonly allRolesRuleIndex = new RuleIndex();

  constructor(input: readonly (Resource | KubeObject)[], options: RbacIndexOptions = {}) {
    this.bootstrapEnabled = options.bootstrap !== false;
    const objects = input.map(toObject);
    const clusterRoles = new Map<string, RbacRole>();
    const roles: RbacRole[] = [];
    const bindings = new Map<string, RbacBinding>();
    if (this.bootstrapEnabled) {
      for (const o of BOOTSTRAP_CLUSTER_ROLES) {
        const r = parseRole(o, 'bootstrap');
        if (r) clusterRoles.set(r.name, r);
      }
      for (const o of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) {
        const b = parseBinding(o, 'bootstrap');
        if (b) bindings.set(bindingKey(b), b);
      }
    }
    for (const o of objects) {
      const r = parseRole(o);
      if (r) {
        if (r.kind === 'ClusterRole') clusterRoles.set(r.name, r);
        else roles.push(r);
        continue;
      }
      const b = parseBinding(o);
      if (b) bindings.set(bindingKey(b), b);
    }
    const effective = aggregateClusterRoles(clusterRoles);
    for (const [name, role] of clusterRoles) {
      const key = roleKey('ClusterRole', name);
      const rules = effective.get(name) ?? [];
      this.roles.set(key, { role, key, rules });
      this.clusterRuleIndex.add(key, rules);
    }
    for (const role of roles) {
      const key = roleKey('Role', role.name, role.namespace);
      this.roles.set(key, { role, key, rules: role.declaredRules });
      const ns = role.namespace ?? '';
      let idx = this.namespaceRuleIndex.get(ns);
      if (!idx) this.namespaceRuleIndex.set(ns, (idx = new RuleIndex()));
      idx.add(key, role.declaredRules);
      this.allRolesRuleIndex.add(key, role.declaredRules);
    }
    for (const b of bindings.values()) this.addBinding(b);
    this.facts = new ClusterFacts(objects, this);
  }

  private addBinding(b: RbacBinding): void {
    const rk = b.roleRef.kind === 'Role' ? roleKey('Role', b.roleRef.name, b.namespace) : roleKey('ClusterRole', b.roleRef.name);
    const ib: IndexedBinding = {
      binding: b,
      key: bindingKey(b),
      roleKey: rk,
      roleLabel: roleLabel(b.roleRef.kind, b.roleRef.name),
      resolved: this.roles.has(rk),
    };
    this.bindings.push(ib);
    let rb = this.bindingsByRole.get(rk);
    if (!rb) this.bindingsByRole.set(rk, (rb = { cluster: [], byNamespace: new Map() }));
    if (b.kind === 'ClusterRoleBinding') rb.cluster.push(ib);
    else {
      const ns = b.namespace ?? '';
      const list = rb.byNamespace.get(ns);
      if (list) list.push(ib);
      else rb.byNamespace.set(ns, [ib]);
    }
    const seen = new Set<string>();
    for (const s of b.subjects) {
      const sk = subjectKey(s);
      if (seen.has(sk)) continue;
      seen.add(sk);
      const list = this.bindingsBySubject.get(sk);
      if (list) list.push(ib);
      else this.bindingsBySubject.set(sk, [ib]);
    }
  }

  role(key: string): IndexedRole | undefined {
    return this.roles.get(key);
  }

  rulesOf(b: IndexedBinding): readonly PolicyRule[] {
    return this.roles.get(b.roleKey)?.rules ?? [];
  }

  /** ClusterRoleBindings referencing the role. */
  clusterBindingsOf(roleKeyValue: string): readonly IndexedBinding[] {
    return this.bindingsByRole.get(roleKeyValue)?.cluster ?? [];
  }

  /** RoleBindings in `namespace` referencing the role. */
  namespaceBindingsOf(roleKeyValue: string, namespace: string): readonly IndexedBinding[] {
    return this.bindingsByRole.get(roleKeyValue)?.byNamespace.get(namespace) ?? [];
  }

  /** RoleBindings in every namespace referencing the role. */
  allNamespaceBindingsOf(roleKeyValue: string): IndexedBinding[] {
    const byNs = this.bindingsByRole.get(roleKeyValue)?.byNamespace;
    return byNs ? [...byNs.values()].flat() : [];
  }

  /** One index over the Roles of every namespace. */
  anyNamespaceRuleIndexRef(): RuleIndex {
    return this.allRolesRuleIndex;
  }

  /** Bindings naming the subject key (user:NAME, group:NAME, sa:NS/NAME). */
  bindingsOfSubject(key: string): readonly IndexedBinding[] {
    return this.bindingsBySubject.get(key) ?? [];
  }

  /** Every subject key that appears in a binding. */
  subjectKeys(): IterableIterator<string> {
    return this.bindingsBySubject.keys();
  }

  clusterRuleIndexRef(): RuleIndex {
    return this.clusterRuleIndex;
  }

  namespaceRuleIndexRef(namespace: string): RuleIndex | undefined {
    return this.namespaceRuleIndex.get(namespace);
  }

  unresolvedBindings(): IndexedBinding[] {
    return this.bindings.filter((b) => !b.resolved);
  }
}

export function buildRbacIndex(input: readonly (Resource | KubeObject)[], options?: RbacIndexOptions): RbacIndex {
  return new RbacIndex(input, options);
}
