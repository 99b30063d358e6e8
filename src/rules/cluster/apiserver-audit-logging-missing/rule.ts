import { defineRule } from '../../../core/rule.js';
import { CONTROL_PLANE_KINDS, checkComponent, flagPath } from '../control-plane.js';

/**
 * Audit logging needs a backend (--audit-log-path, CIS 1.2.16; or --audit-webhook-config-file) and a policy:
 * "If the flag is omitted, no events are logged" (kube-apiserver --audit-policy-file; CIS 3.2.1 minimal policy).
 */
export default defineRule({
  id: 'apiserver-audit-logging-missing',
  title: 'API server audit logging is not configured',
  description:
    'Without an audit backend and an audit policy, the API server records nothing of who read which Secret, exec\'d into ' +
    'which pod or created which binding: an incident cannot be reconstructed.',
  category: 'cluster',
  severity: 'medium',
  severityReason: 'no exposure by itself, but nothing records who did what: an intrusion cannot be detected or reconstructed',
  kinds: CONTROL_PLANE_KINDS,
  messages: {
    noBackend: 'kube-apiserver ({{origin}}) writes no audit log: neither --audit-log-path nor --audit-webhook-config-file is set',
    noPolicy: 'kube-apiserver ({{origin}}) has an audit backend but no --audit-policy-file: no events are logged',
  },
  remediation: 'Set --audit-policy-file to a policy covering at least Secrets, exec/attach and RBAC changes, and --audit-log-path (with maxage/maxbackup/maxsize) or a webhook backend.',
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'],
  compliance: { cis: ['1.2.16', '3.2.1'], mitre: ['T1562.008'] },
  check(ctx, resource) {
    checkComponent(ctx, resource, 'kube-apiserver', (c) => {
      const data = { origin: c.origin };
      if (!c.flags.has('audit-log-path') && !c.flags.has('audit-webhook-config-file')) ctx.report({ messageId: 'noBackend', path: flagPath(c, 'audit-log-path'), data });
      else if (!c.flags.has('audit-policy-file')) ctx.report({ messageId: 'noPolicy', path: (c.flags.get('audit-log-path') ?? c.flags.get('audit-webhook-config-file'))!.path, data });
    });
  },
});
