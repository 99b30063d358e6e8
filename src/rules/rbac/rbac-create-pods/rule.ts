import { defineRoleRiskRule, allowedVerbs, verbsText } from '../role-risk.js';

/**
 * Creating pods, or creating/changing anything that creates pods, runs code as any service account of the
 * namespace and — where Pod Security does not forbid it — as root on a node. CIS 5.1.4.
 * https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation
 */
const WORKLOADS: [string, string][] = [
  ['', 'pods'],
  ['apps', 'deployments'],
  ['apps', 'replicasets'],
  ['apps', 'statefulsets'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['batch', 'cronjobs'],
  ['', 'replicationcontrollers'],
];

export default defineRoleRiskRule(
  {
    id: 'rbac-create-pods',
    title: 'Role grants creating pods or workloads',
    description:
      'Whoever can create a pod (directly or through a Deployment, Job, DaemonSet, …) can run it as any service ' +
      'account of the namespace and inherit its rights, read any Secret or ConfigMap the namespace has by mounting ' +
      'it, and — where Pod Security admission allows privileged pods — become root on a node.',
    severity: 'medium',
    severityReason: 'running pods as any service account of the namespace: the escalation it allows depends on those accounts, which rbac paths judges',
    messages: { create: '{{kind}} "{{name}}" grants {{verbs}} on {{resources}}' },
    remediation:
      'Grant workload creation only to deployment automation; enforce Pod Security baseline or restricted on the namespace ' +
      'and keep powerful service accounts out of namespaces where others create pods.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation'],
    compliance: { cis: ['5.1.4'], mitre: ['T1610'] },
  },
  (rule) => {
    const granted: string[] = [];
    const verbs = new Set<string>();
    for (const [g, r] of WORKLOADS) {
      const v = allowedVerbs(rule, g, r, r === 'pods' ? ['create'] : ['create', 'update', 'patch']);
      // A create request carries no name, so a rule limited by resourceNames never allows it.
      const effective = rule.resourceNames.length ? v.filter((x) => x !== 'create') : v;
      if (effective.length) {
        granted.push(r);
        for (const x of effective) verbs.add(x);
      }
    }
    return granted.length ? { messageId: 'create', data: { verbs: verbsText(rule, [...verbs]), resources: granted.join(', ') } } : undefined;
  },
);
