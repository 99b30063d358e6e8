import { defineSubjectRule } from '../subject-rule.js';

/**
 * Every pod that does not name a service account runs as "default", so rights bound to a namespace's default
 * service account are held by every such pod. CIS 5.1.5 ("Ensure that default service accounts are not
 * actively used"); kubescape ensure-default-service-accounts-has-only-default-roles.
 */
export default defineSubjectRule(
  {
    id: 'rbac-default-service-account-binding',
    title: 'Binding grants rights to a default service account',
    description:
      'Pods that do not set serviceAccountName run as the namespace\'s "default" service account. Binding roles to ' +
      'it gives those rights to every such pod, including ones that never needed the API.',
    severity: 'medium',
    severityReason: 'every pod without a service account of its own gets the rights',
    messages: { defaultSa: '{{binding}} grants {{role}} to {{subject}}, which every pod without serviceAccountName uses' },
    remediation: 'Create a dedicated service account for the workload that needs the rights, bind the role to it, and set serviceAccountName.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#use-the-default-service-account-to-access-the-api-server',
      'https://kubernetes.io/docs/concepts/security/service-accounts/',
    ],
    compliance: { cis: ['5.1.5'], mitre: ['T1078.001'] },
  },
  (s) => (s.kind === 'ServiceAccount' && s.name === 'default' ? 'defaultSa' : undefined),
);
