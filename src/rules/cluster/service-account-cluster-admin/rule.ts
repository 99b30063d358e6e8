import { defineRule } from '../../../core/rule.js';
import { bindingsFor } from '../../../analysis/rbac/authorize.js';
import { userInfoOf } from '../../../analysis/rbac/identity.js';
import type { Subject } from '../../../analysis/rbac/types.js';
import { podTemplateOf } from '../../../core/podspec.js';
import { rbacAnalysisOf } from '../../rbac/binding-role.js';

/** Every verb on every resource of every group: only a `*` `*` `*` rule grants it (RBAC rule matching). */
const EVERYTHING = { verb: '*', resource: '*', apiGroup: '*' };

/**
 * The identity view of cluster-admin (CIS 5.1.1): a ServiceAccount that holds every verb on every resource, at
 * cluster scope or in a namespace, through any binding — naming it, or naming a group it belongs to
 * (system:serviceaccounts, system:serviceaccounts:<namespace>, system:authenticated) — decided by the RBAC
 * authorizer of src/analysis/rbac. rbac-cluster-admin-binding reports the bindings; this rule reports which
 * accounts end up with the power, and how many workloads run as them.
 */
export default defineRule({
  id: 'service-account-cluster-admin',
  title: 'Service account holds cluster-admin',
  description:
    'A ServiceAccount with cluster-admin rights turns every pod running as it, and every identity able to read its token ' +
    'or run pods as it, into a cluster administrator. Controllers rarely need more than a few verbs on a few resources.',
  category: 'cluster',
  severity: 'critical',
  severityReason: 'any pod running as the account, or anyone able to get its token, owns the cluster; high when the rights are one namespace\'s',
  kinds: ['ServiceAccount'],
  messages: {
    cluster: 'ServiceAccount {{subject}} holds cluster-admin rights cluster-wide ({{binding}} → {{role}}); {{usage}}',
    namespace: 'ServiceAccount {{subject}} holds every right in namespace {{namespace}} ({{binding}} → {{role}}); {{usage}}',
  },
  remediation: 'Replace the binding with a Role/ClusterRole listing only the verbs and resources the workload uses (audit2rbac, or the audit log, show them).',
  references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions'],
  compliance: { cis: ['5.1.1'], nsa: ['Authentication and authorization: least privilege'], mitre: ['T1078.004'] },
  check(ctx, resource) {
    const namespace = resource.ref.namespace ?? 'default';
    const subject: Subject = { kind: 'ServiceAccount', namespace, name: resource.ref.name };
    const analysis = rbacAnalysisOf(ctx.resources);
    const users = ctx.resources.podBearingIn(namespace).filter((r) => {
      if (ctx.resources.templateControllerOf(r.object) !== undefined) return false;
      const spec = podTemplateOf(r.object)?.spec;
      return (spec?.serviceAccountName || spec?.serviceAccount || 'default') === resource.ref.name;
    }).length;
    const usage = users === 0 ? 'no workload runs as it' : `${users} workload(s) run as it`;
    const base = { subject: `${namespace}/${resource.ref.name}`, usage };
    const cluster = analysis.can(subject, EVERYTHING);
    if (cluster.allowed && typeof cluster.reason === 'object') {
      // the same problem as the binding's rbac-cluster-admin-binding finding and the workloads' path: merged into one
      ctx.report({ messageId: 'cluster', path: '/metadata/name', data: { ...base, binding: cluster.reason.binding, role: cluster.reason.role }, problems: [`cluster-admin:sa:${namespace}/${resource.ref.name}`] });
      return;
    }
    const namespaces = new Set(bindingsFor(analysis.index, userInfoOf(subject)).filter((b) => b.binding.kind === 'RoleBinding').map((b) => b.binding.namespace ?? ''));
    for (const ns of [...namespaces].sort()) {
      const d = analysis.can(subject, { ...EVERYTHING, namespace: ns });
      // every right in one namespace (its Secrets, its workloads), not the cluster: high
      if (d.allowed && typeof d.reason === 'object') ctx.report({ messageId: 'namespace', path: '/metadata/name', severity: 'high', data: { ...base, namespace: ns, binding: d.reason.binding, role: d.reason.role } });
    }
  },
});
