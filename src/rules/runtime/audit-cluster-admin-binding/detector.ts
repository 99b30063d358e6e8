import { defineDetector } from '../../../core/detector.js';
import { isJsonMap } from '../../../core/json.js';

/** Bootstrap ClusterRoles as powerful as cluster-admin, or nearly (admin everywhere, the controller manager's). */
const ADMIN_EQUIVALENT = new Set(['admin', 'system:masters', 'system:kube-controller-manager', 'system:controller:clusterrole-aggregation-controller']);

/**
 * Falco k8saudit "Attach to cluster-admin Role" and Panther Kubernetes.ClusterRoleBinding.Privileged: a
 * ClusterRoleBinding created (or changed) to cluster-admin or an equivalent role, by anyone but the control plane.
 * Namespaced RoleBindings are left to the posture rules, as both upstream rules do.
 */
export default defineDetector({
  id: 'audit-cluster-admin-binding',
  title: 'ClusterRoleBinding to cluster-admin created',
  description:
    'A ClusterRoleBinding granting cluster-admin (or an equivalent bootstrap role: admin in every namespace, the ' +
    'controller manager\'s role) was created or changed. It gives its subjects every permission in the cluster; ' +
    'attackers create one to keep their access.',
  category: 'runtime',
  severity: 'high',
  events: ['k8s.api'],
  messages: {
    clusterAdmin: '{{user}} bound cluster-admin to {{subjects}} (ClusterRoleBinding {{binding}})',
    equivalent: '{{user}} bound ClusterRole {{role}} cluster-wide to {{subjects}} (ClusterRoleBinding {{binding}})',
  },
  remediation:
    'Confirm the binding was intended; otherwise delete it and investigate the user. Grant narrower roles per namespace, ' +
    'and keep cluster-admin to break-glass identities.',
  references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
  compliance: { mitre: ['T1098', 'T1078'] },
  covers: { falco: ['Attach to cluster-admin Role'], panther: ['Kubernetes.ClusterRoleBinding.Privileged'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      if (a.resource?.resource !== 'clusterrolebindings' || !['create', 'update', 'patch'].includes(a.verb)) return;
      if ((a.code !== undefined && a.code >= 400) || a.user.username.startsWith('system:')) return;
      const o = a.requestObject;
      const ref = o && isJsonMap(o.roleRef) ? o.roleRef : undefined;
      const role = typeof ref?.name === 'string' ? ref.name : undefined;
      if (!role || (ref?.kind !== undefined && ref.kind !== 'ClusterRole')) return;
      if (role !== 'cluster-admin' && !ADMIN_EQUIVALENT.has(role)) return;
      const subjects = Array.isArray(o?.subjects)
        ? o.subjects.filter(isJsonMap).map((s) => `${s.kind ?? '?'} ${s.namespace ? `${s.namespace}/` : ''}${s.name ?? '?'}`).join(', ')
        : 'no subjects yet';
      const binding = a.resource.name ?? (isJsonMap(o?.metadata) && typeof o.metadata.name === 'string' ? o.metadata.name : '?');
      ctx.report({ messageId: role === 'cluster-admin' ? 'clusterAdmin' : 'equivalent', data: { user: a.user.username, role, subjects, binding }, key: binding });
    };
  },
});
