import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath } from '../control-plane.js';

/**
 * Without --encryption-provider-config, Secrets are stored in etcd in plain text (base64 is an encoding):
 * anyone with an etcd backup or disk reads them. CIS 1.2.27 (kube-bench: flag --encryption-provider-config set).
 * Whether the providers in the file are strong (CIS 1.2.28) cannot be seen from the cluster.
 */
export default defineRule({
  id: 'apiserver-encryption-at-rest-missing',
  title: 'Secrets are not encrypted at rest',
  description:
    'kube-apiserver writes Secrets to etcd unencrypted unless an EncryptionConfiguration is given with --encryption-provider-config; ' +
    'etcd snapshots, backups and disks then hold every credential of the cluster in clear.',
  category: 'cluster',
  severity: 'high',
  severityReason: 'whoever reads an etcd backup or disk reads every Secret in clear text',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    missing: 'kube-apiserver ({{origin}}) has no --encryption-provider-config: Secrets are stored unencrypted in etcd',
  },
  remediation:
    'Write an EncryptionConfiguration for secrets (kms v2, or aescbc/secretbox with a key kept off the etcd host), pass it with ' +
    '--encryption-provider-config, then rewrite existing Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
  references: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  compliance: { cis: ['1.2.27'], nsa: ['Kubernetes Pod security: secrets encryption'], mitre: ['T1552.007'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      if (!c.flags.has('encryption-provider-config')) ctx.report({ messageId: 'missing', path: flagPath(c, 'encryption-provider-config'), data: { origin: c.origin } });
    });
  },
});
