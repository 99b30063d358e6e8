import { defineRoleRiskRule, allowedVerbs } from '../role-risk.js';

/**
 * Creating PersistentVolumes lets a subject define a hostPath volume over any node path and mount it from a
 * pod, bypassing Pod Security's hostPath restriction (which checks pod volumes, not PVs). CIS 5.1.9.
 */
export default defineRoleRiskRule(
  {
    id: 'rbac-create-persistent-volumes',
    title: 'ClusterRole grants creating PersistentVolumes',
    description:
      'A PersistentVolume can be a hostPath over any directory of a node (/, /etc, the container runtime socket). ' +
      'Pod Security checks pod volumes, not PVs, so a claim on such a PV gives a pod the node\'s files.',
    severity: 'medium',
    severityReason: 'a hostPath PersistentVolume reaches node files past Pod Security; needs a claim and a pod as well',
    messages: { create: '{{kind}} "{{name}}" grants create on persistentvolumes' },
    remediation: 'Let only storage provisioners create PersistentVolumes; users should create PersistentVolumeClaims against StorageClasses.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation'],
    compliance: { cis: ['5.1.9'], mitre: ['T1611'] },
    kinds: ['ClusterRole'],
  },
  (rule) => (allowedVerbs(rule, '', 'persistentvolumes', ['create']).length && !rule.resourceNames.length ? { messageId: 'create' } : undefined),
);
