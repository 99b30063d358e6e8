import { defineDetector } from '../../../core/detector.js';

/** Control-plane identities that read secrets by design: nodes (for their pods), controllers, the scheduler. */
function controlPlane(user: string): boolean {
  return /^system:(?:node:|kube-controller-manager$|kube-scheduler$|apiserver$|serviceaccount:kube-system:)/.test(user);
}

const SA = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * Secrets read through the API by someone other than the workloads that use them. With posture (a snapshot or the
 * cluster), "use" is exact: a service account whose pods mount the secret, take it in env or pull with it. Without
 * posture, a service account reading in its own namespace is presumed its user, and reports are reads by people, by
 * service accounts of other namespaces, and every list across all namespaces (Panther
 * Kubernetes.Secrets.DumpAllNamespaces). Refused reads and the control plane's reads are not reported.
 */
export default defineDetector({
  id: 'audit-secret-read',
  title: 'Secret read by someone other than its workload',
  description:
    'A Secret was read (get, list, watch) by a person, by a service account whose workloads do not use it, or listed ' +
    'across all namespaces. Secrets hold the credentials that let an intruder move on; reading them is the usual step ' +
    'after stealing a token.',
  category: 'runtime',
  severity: 'high',
  events: ['k8s.api'],
  messages: {
    allNamespaces: '{{user}} {{verb}} secrets across all namespaces',
    notUser: '{{user}} read secret {{namespace}}/{{name}}, which its workloads do not use',
    crossNamespace: '{{user}} {{verb}} secrets {{what}} in namespace {{namespace}}, outside its own namespace',
    person: '{{user}} {{verb}} secrets {{what}} in namespace {{namespace}}',
  },
  remediation:
    'Confirm the read was expected. Grant get/list/watch on secrets only to the workloads that need them, by name ' +
    '(resourceNames) where possible; people should read secrets through a secret manager, not the API.',
  references: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/#least-privilege-secrets'],
  compliance: { mitre: ['T1552.007', 'T1528'] },
  covers: { panther: ['Kubernetes.Secrets.DumpAllNamespaces'] },
  create() {
    return (ctx, e) => {
      if (e.kind !== 'k8s.api') return;
      const a = e.api;
      const r = a.resource;
      if (r?.resource !== 'secrets' || (r.group ?? '') !== '' || r.subresource || !['get', 'list', 'watch'].includes(a.verb)) return;
      if (a.code !== undefined && (a.code < 200 || a.code >= 300)) return;
      const user = a.user.username;
      if (controlPlane(user)) return;
      const verb = a.verb === 'get' ? 'read' : a.verb === 'list' ? 'listed' : 'watched';
      if (!r.namespace) return ctx.report({ messageId: 'allNamespaces', data: { user, verb }, severity: 'critical', key: user });
      const data = { user, verb, namespace: r.namespace, name: r.name ?? '', what: r.name ? `(${r.name})` : '(all of them)' };
      const sa = SA.exec(user);
      if (sa) {
        const users = r.name ? ctx.secretUsers(r.namespace, r.name) : undefined;
        if (users) {
          if (!users.has(`${sa[1]}/${sa[2]}`)) ctx.report({ messageId: 'notUser', data, key: user });
          return;
        }
        if (sa[1] !== r.namespace) ctx.report({ messageId: 'crossNamespace', data, severity: 'medium', key: user });
        return;
      }
      if (user.startsWith('system:')) return;
      ctx.report({ messageId: 'person', data, severity: 'medium', key: user });
    };
  },
});
