import { defineRule } from '../../../core/rule.js';
import type { PolicyRule } from '../../../analysis/rbac/types.js';
import { allowedVerbs } from '../role-risk.js';
import { resolveBinding } from '../binding-role.js';
import type { BindingRiskOptions } from '../binding-exempt.js';
import { BINDING_RISK_OPTIONS, isSystemBinding } from '../binding-exempt.js';

/**
 * kube-system runs the control plane's service accounts (controllers, CNI, DNS, cloud integrations), many of
 * them cluster-admin in effect. Whoever can create or change pods and workloads there can run as any of them.
 * Judged on the binding, because only the binding says where a ClusterRole applies: a RoleBinding in
 * kube-system, or a ClusterRoleBinding (every namespace, kube-system included).
 */
const WORKLOADS: [string, string][] = [
  ['', 'pods'],
  ['apps', 'deployments'],
  ['apps', 'daemonsets'],
  ['apps', 'statefulsets'],
  ['apps', 'replicasets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
];

function writes(rules: readonly PolicyRule[]): { resources: string[]; verbs: string[] } {
  const out = new Set<string>();
  const verbsSeen = new Set<string>();
  for (const rule of rules) {
    for (const [g, r] of WORKLOADS) {
      const verbs = allowedVerbs(rule, g, r, ['create', 'update', 'patch']).filter((v) => !(v === 'create' && rule.resourceNames.length));
      if (verbs.length) out.add(r);
      for (const v of verbs) verbsSeen.add(v);
    }
  }
  return { resources: [...out], verbs: [...verbsSeen] };
}

export default defineRule({
  id: 'rbac-kube-system-workload-write',
  title: 'Binding lets subjects create or change workloads in kube-system',
  description:
    'kube-system holds the service accounts of the control plane add-ons, many with cluster-wide rights. Creating or ' +
    'changing pods or workloads there runs code as any of them.',
  category: 'rbac',
  severity: 'high',
  severityReason: 'running code as kube-system\'s service accounts, several of them cluster-admin in effect',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  messages: {
    write: '{{binding}} lets its subjects {{verbs}} {{resources}} in kube-system (via {{role}})',
  },
  remediation: 'Manage kube-system workloads only through cluster administration pipelines; remove workload write rights there from other subjects.',
  references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
  compliance: { cis: ['5.1.4'], mitre: ['T1610'] },
  ...BINDING_RISK_OPTIONS,
  check(ctx, resource, options: BindingRiskOptions) {
    const obj = resource.object;
    if (options.ignoreSystemBindings !== false && isSystemBinding(obj)) return;
    const resolved = resolveBinding(ctx.resources, obj);
    if (!resolved?.rules) return;
    const { binding, rules } = resolved;
    if (binding.kind === 'RoleBinding' && binding.namespace !== 'kube-system') return;
    if (binding.subjects.length === 0) return;
    const res = writes(rules);
    if (res.resources.length === 0) return;
    const verbs = ['create', 'update', 'patch'].filter((v) => res.verbs.includes(v)).join('/');
    ctx.report({
      messageId: 'write',
      path: '/roleRef',
      data: { binding: `${binding.kind} "${binding.name}"`, verbs, resources: res.resources.join(', '), role: `${binding.roleRef.kind} ${binding.roleRef.name}` },
    });
  },
});
